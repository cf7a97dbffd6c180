namespace Ticker.PushHub.WebRtc.DataChannels;

public sealed record DataChannelOptions
{
    /// <summary>SCTP port both ends use (a=sctp-port).</summary>
    public ushort Port { get; init; } = 5000;

    /// <summary>
    /// Largest SCTP packet handed to DTLS: 1280 − IPv6 40 − UDP 8 − GCM 24 − DTLS 13 − TURN ChannelData 4.
    /// </summary>
    public int MaxPacketBytes { get; init; } = 1191;

    /// <summary>Largest message the peer accepts (its a=max-message-size; 65536 when absent).</summary>
    public int RemoteMaxMessageBytes { get; init; } = 65536;

    /// <summary>Largest message accepted from the peer (our a=max-message-size).</summary>
    public int LocalMaxMessageBytes { get; init; } = 262144;

    /// <summary>Per-channel send buffer limit; Send returns false beyond it.</summary>
    public int MaxBufferedBytesPerChannel { get; init; } = 256 * 1024;

    /// <summary>
    /// True on the DTLS client side (tests, a client role): channels this side opens take even stream
    /// ids; the hub, as DTLS server, takes odd ones (RFC 8832 §6).
    /// </summary>
    public bool IsDtlsClient { get; init; }
}
