namespace Ticker.PushHub.WebRtc.Ice;

/// <summary>RFC 7983 §7: what a datagram on the shared port is, from its first byte.</summary>
public enum PacketKind
{
    Unknown,
    Stun,
    Dtls,
}

public static class PacketClassifier
{
    /// <summary>
    /// RFC 7983 §7 (as updated by RFC 9443): [0..3] STUN, [20..63] DTLS. ZRTP, TURN ChannelData and
    /// (S)RTP ranges are Unknown here: a data-channel-only hub never receives them directly.
    /// </summary>
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return PacketKind.Unknown;
        }
        return datagram[0] switch
        {
            <= 3 => PacketKind.Stun,
            >= 20 and <= 63 => PacketKind.Dtls,
            _ => PacketKind.Unknown,
        };
    }
}
