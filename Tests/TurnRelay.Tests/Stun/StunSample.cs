using FsCheck;
using FsCheck.Fluent;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Tests.Stun;

/// <summary>
/// A generated STUN message: header fields, ordinary attributes in order, and optionally
/// MESSAGE-INTEGRITY (SHA-1 or SHA-256) and FINGERPRINT at the end, as the builder writes them.
/// </summary>
internal sealed record StunSample(
    ushort Method,
    StunClass Class,
    byte[] TransactionId,
    (ushort Type, byte[] Value)[] Attributes,
    byte Padding,
    byte[]? Key,
    bool Sha256,
    bool Fingerprint)
{
    /// <summary>Types the builder writes only through their own methods, at the end.</summary>
    private static readonly ushort[] Trailing =
        [StunAttributeType.MessageIntegrity, StunAttributeType.MessageIntegritySha256, StunAttributeType.Fingerprint];

    public static Gen<StunSample> Generator { get; } =
        from method in Gen.Choose(0, 0xFFF)
        from stunClass in Gen.Elements(StunClass.Request, StunClass.Indication, StunClass.SuccessResponse, StunClass.ErrorResponse)
        from transactionId in Bytes(12, 12)
        from count in Gen.Choose(0, 12)
        from attributes in Gen.ArrayOf(Attribute(), count)
        from padding in Gen.Elements<byte>(0, 0x20, 0xFF)
        from key in Gen.Frequency((1, Gen.Constant<byte[]?>(null)), (2, Bytes(1, 64).Select(k => (byte[]?)k)))
        from sha256 in Gen.Elements(false, true)
        from fingerprint in Gen.Elements(false, true)
        select new StunSample((ushort)method, stunClass, transactionId, attributes, padding, key, sha256, fingerprint);

    /// <summary>Random bytes, mostly short, now and then longer than the integrity code's stack buffer.</summary>
    public static Gen<byte[]> Bytes(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    private static Gen<(ushort Type, byte[] Value)> Attribute() =>
        from type in Gen.Choose(0, 0xFFFF).Where(t => Array.IndexOf(Trailing, (ushort)t) < 0)
        from value in Gen.Frequency((12, Bytes(0, 48)), (1, Bytes(0, 1400)))
        select ((ushort)type, value);

    public byte[] Encode()
    {
        var size = StunMessageReader.HeaderLength + 4 + 32 + 8 + Attributes.Sum(a => 4 + ((a.Value.Length + 3) & ~3));
        var buffer = new byte[size];
        var builder = new StunMessageBuilder(buffer, Method, Class, TransactionId);
        foreach (var (type, value) in Attributes)
        {
            builder.AddAttribute(type, value, Padding);
        }

        if (Key is not null && Sha256)
        {
            builder.AddMessageIntegritySha256(Key);
        }
        else if (Key is not null)
        {
            builder.AddMessageIntegrity(Key);
        }

        if (Fingerprint)
        {
            builder.AddFingerprint();
        }

        return builder.Written.ToArray();
    }

    public override string ToString() =>
        $"method 0x{Method:X3} {Class}, attributes [{string.Join(", ", Attributes.Select(a => $"0x{a.Type:X4}:{a.Value.Length}"))}], "
        + $"padding 0x{Padding:X2}, key {(Key is null ? "none" : Convert.ToHexString(Key))}{(Sha256 ? " sha256" : "")}, fingerprint {Fingerprint}";
}
