namespace Ticker.PushHub.WebRtc.DataChannels;

/// <summary>Payload protocol identifiers for WebRTC (RFC 8831 §8, RFC 8832 §8.1).</summary>
internal static class Ppid
{
    public const uint Dcep = 50;
    public const uint String = 51;
    public const uint BinaryPartial = 52; // deprecated
    public const uint Binary = 53;
    public const uint StringPartial = 54; // deprecated
    public const uint StringEmpty = 56;
    public const uint BinaryEmpty = 57;
}
