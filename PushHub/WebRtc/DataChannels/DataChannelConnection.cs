namespace Ticker.PushHub.WebRtc.DataChannels;

/// <summary>
/// Sans-IO data channels for one peer: an SCTP association (RFC 8261 over DTLS, passive side) with
/// DCEP (RFC 8832) on top. Feed it decrypted SCTP packets and the clock; take packets to encrypt
/// and events. Not thread-safe: the owner serialises every call.
/// </summary>
public sealed class DataChannelConnection
{
    public DataChannelConnection(DataChannelOptions options, TimeSpan now) => throw new NotImplementedException();

    /// <summary>True once the association is up (COOKIE-ECHO answered).</summary>
    public bool IsEstablished => throw new NotImplementedException();

    /// <summary>True after ABORT/SHUTDOWN either way, or a fatal timeout.</summary>
    public bool IsClosed => throw new NotImplementedException();

    /// <summary>When <see cref="HandleTimeout"/> must next be called; null when no timer runs.</summary>
    public TimeSpan? NextTimeout => throw new NotImplementedException();

    /// <summary>One decrypted SCTP packet from the peer. Bad packets are dropped (and counted), never thrown.</summary>
    public void HandlePacket(ReadOnlySpan<byte> packet, TimeSpan now) => throw new NotImplementedException();

    public void HandleTimeout(TimeSpan now) => throw new NotImplementedException();

    /// <summary>The next SCTP packet to encrypt and send; every one is at most <see cref="DataChannelOptions.MaxPacketBytes"/>.</summary>
    public bool TryPollTransmit(out byte[] packet) => throw new NotImplementedException();

    public bool TryPollEvent(out DataChannelEvent dataChannelEvent) => throw new NotImplementedException();

    /// <summary>
    /// Queues one message on an open channel with that channel's reliability. False when the
    /// channel is not open, the message is larger than the peer accepts, or the channel's buffer is full.
    /// </summary>
    public bool Send(ushort channelId, ReadOnlySpan<byte> payload, bool binary, TimeSpan now) => throw new NotImplementedException();

    /// <summary>Bytes queued or in flight on a channel (as RTCDataChannel.bufferedAmount).</summary>
    public long BufferedAmount(ushort channelId) => throw new NotImplementedException();

    /// <summary>Closes one channel by resetting its stream (RFC 8831 §6.7).</summary>
    public void CloseChannel(ushort channelId, TimeSpan now) => throw new NotImplementedException();

    /// <summary>Ends the association (ABORT with a reason): the session is being torn down.</summary>
    public void Abort(string reason, TimeSpan now) => throw new NotImplementedException();
}
