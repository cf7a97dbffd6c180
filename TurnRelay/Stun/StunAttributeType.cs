namespace Ticker.TurnRelay.Stun;

/// <summary>Attribute type numbers (RFC 8489 §18.3, RFC 8656 §18, RFC 6156, RFC 8445).</summary>
public static class StunAttributeType
{
    // Comprehension-required range 0x0000-0x7FFF.
    public const ushort MappedAddress = 0x0001;
    public const ushort ChangeRequest = 0x0003;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort ChannelNumber = 0x000C;
    public const ushort Lifetime = 0x000D;
    public const ushort XorPeerAddress = 0x0012;
    public const ushort Data = 0x0013;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort XorRelayedAddress = 0x0016;
    public const ushort RequestedAddressFamily = 0x0017;
    public const ushort EvenPort = 0x0018;
    public const ushort RequestedTransport = 0x0019;
    public const ushort DontFragment = 0x001A;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort PasswordAlgorithm = 0x001D;
    public const ushort UserHash = 0x001E;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort ReservationToken = 0x0022;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;

    // Comprehension-optional range 0x8000-0xFFFF.
    public const ushort PasswordAlgorithms = 0x8002;
    public const ushort AlternateDomain = 0x8003;
    public const ushort Software = 0x8022;
    public const ushort AlternateServer = 0x8023;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;
    public const ushort ResponseOrigin = 0x802B;
    public const ushort OtherAddress = 0x802C;

    /// <summary>RFC 8489 §14: types below 0x8000 must be understood by the receiver.</summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
}
