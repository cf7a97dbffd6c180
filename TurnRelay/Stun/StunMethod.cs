namespace Ticker.TurnRelay.Stun;

/// <summary>STUN and TURN method numbers (RFC 8489 §18.2, RFC 8656 §17).</summary>
public static class StunMethod
{
    public const ushort Binding = 0x001;
    public const ushort Allocate = 0x003;
    public const ushort Refresh = 0x004;
    public const ushort Send = 0x006;
    public const ushort Data = 0x007;
    public const ushort CreatePermission = 0x008;
    public const ushort ChannelBind = 0x009;
}
