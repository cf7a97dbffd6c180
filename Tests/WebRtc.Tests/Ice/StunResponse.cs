using System.Buffers.Binary;
using System.Net;
using System.Text;
using Ticker.TurnRelay.Stun;

namespace Ticker.WebRtc.Tests.Ice;

/// <summary>What a test asserts about a response, read back through the relay's own STUN reader.</summary>
internal sealed record StunResponse(
    StunClass Class,
    byte[] TransactionId,
    int ErrorCode,
    bool HasIntegrity,
    bool IntegrityValid,
    bool FingerprintValid,
    IPEndPoint? XorMappedAddress,
    ushort[] UnknownAttributes)
{
    public static StunResponse Read(ReadOnlySpan<byte> bytes, string password = StunRequests.LocalPwd)
    {
        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(bytes, out var reader));
        var code = reader.TryGetErrorCode(out var c, out _) ? c : 0;
        IPEndPoint? mapped = reader.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var a) ? a.ToIPEndPoint() : null;
        var unknown = new List<ushort>();
        if (reader.TryGetAttribute(StunAttributeType.UnknownAttributes, out var raw))
        {
            for (var i = 0; i + 1 < raw.Length; i += 2)
            {
                unknown.Add(BinaryPrimitives.ReadUInt16BigEndian(raw[i..]));
            }
        }
        return new StunResponse(reader.Class, reader.TransactionId.ToArray(), code, reader.MessageIntegrityOffset >= 0,
            StunIntegrity.VerifySha1(reader, Encoding.UTF8.GetBytes(password)), StunFingerprint.Verify(reader), mapped, [.. unknown]);
    }
}
