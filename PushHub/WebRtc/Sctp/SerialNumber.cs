namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>Serial number arithmetic (RFC 1982) for 32-bit TSNs and 16-bit SSNs, as RFC 4960 §1.6 requires.</summary>
internal static class SerialNumber
{
    public static bool Lt(uint a, uint b) => (int)(a - b) < 0;

    public static bool Lte(uint a, uint b) => (int)(a - b) <= 0;

    public static bool Gt(uint a, uint b) => (int)(a - b) > 0;

    public static bool Lt(ushort a, ushort b) => (short)(a - b) < 0;

    public static bool Lte(ushort a, ushort b) => (short)(a - b) <= 0;

    public static uint Max(uint a, uint b) => Gt(a, b) ? a : b;
}
