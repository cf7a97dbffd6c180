namespace Ticker.TurnRelay.Stun;

/// <summary>
/// Packs and unpacks the 14-bit message type (RFC 8489 §5):
/// <code>
///  0                 1
///  2  3  4 5 6 7 8 9 0 1 2 3 4 5
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
/// |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Example: Allocate (0x003) success response (class 0b10) encodes as 0x0103.
/// </summary>
public static class StunMessageType
{
    public static ushort Encode(ushort method, StunClass stunClass)
    {
        var c = (int)stunClass;
        return (ushort)((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
            | ((c & 1) << 4) | ((c & 2) << 7));
    }

    public static ushort GetMethod(ushort type) =>
        (ushort)((type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80));

    public static StunClass GetClass(ushort type) =>
        (StunClass)(((type >> 4) & 1) | ((type >> 7) & 2));
}
