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
    public static PacketKind Classify(ReadOnlySpan<byte> datagram) => throw new NotImplementedException();
}
