using System.Buffers.Binary;
using System.Net;
using System.Text;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Tests.Stun;

/// <summary>RFC 5769 test vectors: decode, verify integrity and fingerprint, re-encode byte for byte.</summary>
[Trait("Tier", "Fast")]
public sealed class Rfc5769VectorTests
{
    // RFC 5769 §2.1: request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME (space padded), MI, FINGERPRINT.
    private const string Request =
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf";

    // §2.2: IPv4 response, XOR-MAPPED-ADDRESS 192.0.2.1:32853.
    private const string ResponseIPv4 =
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96";

    // §2.3: IPv6 response, XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853.
    private const string ResponseIPv6 =
        "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c";

    // §2.4: long-term credentials, username "マトリックス", realm example.org, password "TheMatrIX" (after SASLprep).
    private const string LongTermRequest =
        "000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae38383e382afe382b900000015001c662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b6578616d706c652e6f72670000080014f67024656dd64a3e02b8e0712e85c9a28ca89666";

    private static readonly byte[] ShortTermKey = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    [Theory]
    [InlineData(Request, StunClass.Request)]
    [InlineData(ResponseIPv4, StunClass.SuccessResponse)]
    [InlineData(ResponseIPv6, StunClass.SuccessResponse)]
    public void TryParse_ShortTermVector_VerifiesIntegrityAndFingerprint(string hex, StunClass expectedClass)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(bytes, out var message));
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(expectedClass, message.Class);
        Assert.True(StunIntegrity.VerifySha1(message, ShortTermKey));
        Assert.True(StunFingerprint.Verify(message));
        Assert.False(StunIntegrity.VerifySha1(message, Encoding.UTF8.GetBytes("wrong")));
    }

    [Fact]
    public void TryParse_Request_ReadsAttributes()
    {
        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(Convert.FromHexString(Request), out var message));

        Assert.True(message.TryGetAttribute(StunAttributeType.Username, out var username));
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
        Assert.True(message.TryGetUInt32(StunAttributeType.Priority, out var priority));
        Assert.Equal(0x6e0001ffu, priority);
    }

    [Theory]
    [InlineData(ResponseIPv4, "192.0.2.1")]
    [InlineData(ResponseIPv6, "2001:db8:1234:5678:11:2233:4455:6677")]
    public void TryGetXorAddress_ResponseVector_DecodesMappedAddress(string hex, string ip)
    {
        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(Convert.FromHexString(hex), out var message));

        Assert.True(message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var address));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(ip), 32853), address.ToIPEndPoint());
    }

    [Fact]
    public void Build_Request_ReencodesByteForByte()
    {
        var expected = Convert.FromHexString(Request);
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMethod.Binding, StunClass.Request, expected.AsSpan(8, 12));
        builder.AddString(StunAttributeType.Software, "STUN test client");
        builder.AddUInt32(StunAttributeType.Priority, 0x6e0001ff);
        builder.AddAttribute(StunAttributeType.IceControlled, Convert.FromHexString("932ff9b151263b36"));
        builder.AddString(StunAttributeType.Username, "evtj:h6vY", padding: 0x20);
        builder.AddMessageIntegrity(ShortTermKey);
        builder.AddFingerprint();

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(builder.Written));
    }

    [Theory]
    [InlineData(ResponseIPv4, "192.0.2.1")]
    [InlineData(ResponseIPv6, "2001:db8:1234:5678:11:2233:4455:6677")]
    public void Build_Response_ReencodesByteForByte(string hex, string ip)
    {
        var expected = Convert.FromHexString(hex);
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMethod.Binding, StunClass.SuccessResponse, expected.AsSpan(8, 12));
        builder.AddString(StunAttributeType.Software, "test vector", padding: 0x20);
        builder.AddXorAddress(StunAttributeType.XorMappedAddress, StunTransportAddress.FromEndPoint(new IPEndPoint(IPAddress.Parse(ip), 32853)));
        builder.AddMessageIntegrity(ShortTermKey);
        builder.AddFingerprint();

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(builder.Written));
    }

    [Fact]
    public void LongTermVector_KeyAndIntegrity_MatchRfc()
    {
        var bytes = Convert.FromHexString(LongTermRequest);
        Span<byte> key = stackalloc byte[16];
        StunIntegrity.ComputeLongTermKey("マトリックス", "example.org", "TheMatrIX", key);

        Assert.Equal("e8ca7ad59d5eb0518e312911d2dab2a9", Convert.ToHexStringLower(key));
        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(bytes, out var message));
        Assert.True(StunIntegrity.VerifySha1(message, key));
        Assert.True(message.TryGetAttribute(StunAttributeType.Nonce, out var nonce));
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", Encoding.UTF8.GetString(nonce));
        Assert.True(message.TryGetAttribute(StunAttributeType.Realm, out var realm));
        Assert.Equal("example.org", Encoding.UTF8.GetString(realm));
    }

    [Fact]
    public void Build_LongTermRequest_ReencodesByteForByte()
    {
        var expected = Convert.FromHexString(LongTermRequest);
        Span<byte> key = stackalloc byte[16];
        StunIntegrity.ComputeLongTermKey("マトリックス", "example.org", "TheMatrIX", key);
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMethod.Binding, StunClass.Request, expected.AsSpan(8, 12));
        builder.AddString(StunAttributeType.Username, "マトリックス");
        builder.AddString(StunAttributeType.Nonce, "f//499k954d6OL34oL9FSTvy64sA");
        builder.AddString(StunAttributeType.Realm, "example.org");
        builder.AddMessageIntegrity(key);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(builder.Written));
    }

    [Fact]
    public void Verify_FlippedBit_FailsIntegrityAndFingerprint()
    {
        var bytes = Convert.FromHexString(Request);
        bytes[30] ^= 0x01; // inside SOFTWARE

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(bytes, out var message));
        Assert.False(StunIntegrity.VerifySha1(message, ShortTermKey));
        Assert.False(StunFingerprint.Verify(message));
        Assert.Equal(0x0058, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2)));
    }
}
