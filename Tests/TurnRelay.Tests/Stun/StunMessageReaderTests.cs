using System.Text;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Tests.Stun;

[Trait("Tier", "Fast")]
public sealed class StunMessageReaderTests
{
    private static readonly byte[] TxId = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    public static TheoryData<string, byte[], StunParseResult> Vectors => new()
    {
        {
            "empty binding request", [
                /* type: */ 0x00, 0x01, /* length: */ 0x00, 0x00, /* cookie: */ 0x21, 0x12, 0xA4, 0x42,
                /* txid: */ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            ], StunParseResult.Ok
        },
        {
            "attribute length runs past the message", [
                0x00, 0x01, /* length: */ 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                /* SOFTWARE */ 0x80, 0x22, /* length: */ 0x00, 0x10, (byte)'a', (byte)'b', (byte)'c', (byte)'d',
            ], StunParseResult.Malformed
        },
        {
            "attribute length 0xFFFF (16-bit truncation trap)", [
                0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                0x80, 0x22, /* length: */ 0xFF, 0xFF, 0, 0, 0, 0,
            ], StunParseResult.Malformed
        },
        {
            "header length not a multiple of 4", [
                0x00, 0x01, /* length: */ 0x00, 0x03, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0,
            ], StunParseResult.Malformed
        },
        {
            "header length shorter than the datagram", [
                0x00, 0x01, /* length: */ 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0,
            ], StunParseResult.Malformed
        },
        {
            "header length longer than the datagram", [
                0x00, 0x01, /* length: */ 0x00, 0x10, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0,
            ], StunParseResult.Incomplete
        },
        {
            "wrong magic cookie", [
                0x00, 0x01, 0x00, 0x00, /* cookie: */ 0x21, 0x12, 0xA4, 0x43, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            ], StunParseResult.NotStun
        },
        {
            "leading bits 01 (ChannelData)", [
                0x40, 0x00, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            ], StunParseResult.NotStun
        },
        {
            "MESSAGE-INTEGRITY with a 4-byte value", [
                0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                /* MI */ 0x00, 0x08, /* length: */ 0x00, 0x04, 0, 0, 0, 0,
            ], StunParseResult.Malformed
        },
        {
            "attribute after FINGERPRINT", [
                0x00, 0x01, 0x00, 0x10, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                /* FINGERPRINT */ 0x80, 0x28, 0x00, 0x04, 0, 0, 0, 0,
                /* LIFETIME */ 0x00, 0x0D, 0x00, 0x04, 0, 0, 0, 0,
            ], StunParseResult.Malformed
        },
        { "truncated header", [0x00, 0x01, 0x00, 0x00, 0x21, 0x12], StunParseResult.Incomplete },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void TryParse_AnnotatedVector_ReturnsExpectedResult(string description, byte[] bytes, StunParseResult expected)
    {
        Assert.True(expected == StunMessageReader.TryParse(bytes, out _), description);
    }

    [Fact]
    public void TryGetAttribute_AttributeAfterMessageIntegrity_IsIgnored()
    {
        var key = Encoding.UTF8.GetBytes("key");
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMethod.Refresh, StunClass.Request, TxId);
        builder.AddUInt32(StunAttributeType.Lifetime, 600);
        builder.AddMessageIntegrity(key);
        builder.AddUInt32(StunAttributeType.Lifetime, 0); // appended by an attacker after the signature
        builder.AddUInt32(StunAttributeType.ChannelNumber, 0x40000000);

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(builder.Written, out var message));
        Assert.True(message.TryGetUInt32(StunAttributeType.Lifetime, out var lifetime));
        Assert.Equal(600u, lifetime);
        Assert.False(message.HasAttribute(StunAttributeType.ChannelNumber));
        Assert.True(StunIntegrity.VerifySha1(message, key));
    }

    [Fact]
    public void TryGetAttribute_RepeatedAttribute_FirstWins()
    {
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMethod.Refresh, StunClass.Request, TxId);
        builder.AddUInt32(StunAttributeType.Lifetime, 1);
        builder.AddUInt32(StunAttributeType.Lifetime, 2);

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(builder.Written, out var message));
        Assert.True(message.TryGetUInt32(StunAttributeType.Lifetime, out var lifetime));
        Assert.Equal(1u, lifetime);
    }

    [Fact]
    public void AddAttribute_OddLength_ZeroesPadding()
    {
        var buffer = new byte[64];
        buffer.AsSpan().Fill(0xEE);
        var builder = new StunMessageBuilder(buffer, StunMethod.Binding, StunClass.SuccessResponse, TxId);
        builder.AddString(StunAttributeType.Software, "abc");

        Assert.Equal(28, builder.Length);
        Assert.Equal(0, buffer[27]);
    }

    [Fact]
    public void MessageIntegritySha256_RoundTrip_Verifies()
    {
        var key = Encoding.UTF8.GetBytes("secret key");
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMethod.Binding, StunClass.Request, TxId);
        builder.AddString(StunAttributeType.Username, "user");
        builder.AddMessageIntegritySha256(key);
        builder.AddFingerprint();

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(builder.Written, out var message));
        Assert.True(StunIntegrity.Verify(message, key));
        Assert.False(StunIntegrity.Verify(message, Encoding.UTF8.GetBytes("other")));
        Assert.True(StunFingerprint.Verify(message));
    }

    [Theory]
    [InlineData(StunMethod.Binding, StunClass.Request, 0x0001)]
    [InlineData(StunMethod.Binding, StunClass.SuccessResponse, 0x0101)]
    [InlineData(StunMethod.Allocate, StunClass.ErrorResponse, 0x0113)]
    [InlineData(StunMethod.Send, StunClass.Indication, 0x0016)]
    [InlineData(StunMethod.Data, StunClass.Indication, 0x0017)]
    [InlineData(StunMethod.ChannelBind, StunClass.SuccessResponse, 0x0109)]
    public void Encode_MethodAndClass_MatchesWireValue(ushort method, StunClass stunClass, int wire)
    {
        Assert.Equal(wire, StunMessageType.Encode(method, stunClass));
        Assert.Equal(method, StunMessageType.GetMethod((ushort)wire));
        Assert.Equal(stunClass, StunMessageType.GetClass((ushort)wire));
    }

    [Theory]
    [InlineData(new byte[] { /* channel: */ 0x40, 0x00, /* length: */ 0x00, 0x02, 0xAA, 0xBB }, true, 2)]
    [InlineData(new byte[] { 0x4F, 0xFF, 0x00, 0x00 }, true, 0)]
    [InlineData(new byte[] { /* length beyond data */ 0x40, 0x01, 0x00, 0x08, 0xAA }, false, 0)]
    [InlineData(new byte[] { /* not 01 prefix */ 0x80, 0x00, 0x00, 0x00 }, false, 0)]
    [InlineData(new byte[] { 0x40, 0x00, 0x00 }, false, 0)]
    public void ChannelDataTryRead_AnnotatedVector_ParsesOrRefuses(byte[] datagram, bool ok, int payloadLength)
    {
        Assert.Equal(ok, ChannelDataFrame.TryRead(datagram, out _, out var payload));
        Assert.Equal(payloadLength, payload.Length);
    }

    [Theory]
    [InlineData(0x3FFF, false)]
    [InlineData(0x4000, true)]
    [InlineData(0x4FFF, true)]
    [InlineData(0x5000, false)]
    [InlineData(0xFFFF, false)]
    public void IsValidChannel_Boundaries_FollowRfc8656(int channel, bool valid) =>
        Assert.Equal(valid, ChannelDataFrame.IsValidChannel(channel));
}
