using Ticker.PushHub.WebRtc.DataChannels;

namespace Ticker.WebRtc.Tests.DataChannels;

[Trait("Tier", "Fast")]
public sealed class DcepMessageTests
{
    [Fact]
    public void TryParseOpen_ChromiumUnorderedMaxRetransmitsZero_Parses()
    {
        byte[] open =
        [
            /* type OPEN */ 0x03, /* channel type PR-rexmit unordered */ 0x81, /* priority 256 */ 0x01, 0x00,
            /* reliability */ 0x00, 0x00, 0x00, 0x00, /* label length */ 0x00, 0x06, /* protocol length */ 0x00, 0x00,
            .. "quotes"u8,
        ];

        Assert.True(DcepMessage.TryParseOpen(open, out var parsed));
        Assert.Equal("quotes", parsed.Label);
        Assert.Equal(string.Empty, parsed.Protocol);
        Assert.False(parsed.Ordered);
        Assert.Equal(0, parsed.MaxRetransmits);
        Assert.Null(parsed.MaxLifetimeMs);
        Assert.Equal(256, parsed.Priority);
    }

    [Theory]
    [InlineData(0x00, true, null, null)]
    [InlineData(0x80, false, null, null)]
    [InlineData(0x01, true, 5, null)]
    [InlineData(0x02, true, null, 5)]
    [InlineData(0x82, false, null, 5)]
    public void TryParseOpen_ChannelTypes_MapToReliability(byte channelType, bool ordered, int? maxRetransmits, int? maxLifetime)
    {
        byte[] open = [0x03, channelType, 0, 0, 0, 0, 0, 5, 0, 1, 0, 1, (byte)'a', (byte)'p'];

        Assert.True(DcepMessage.TryParseOpen(open, out var parsed));
        Assert.Equal((ordered, maxRetransmits, maxLifetime), (parsed.Ordered, parsed.MaxRetransmits, parsed.MaxLifetimeMs));
        Assert.Equal(("a", "p"), (parsed.Label, parsed.Protocol));
    }

    [Theory]
    [InlineData(new byte[] { 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0x61 })] // label longer than message
    [InlineData(new byte[] { 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // truncated header
    [InlineData(new byte[] { 0x03, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // unknown channel type
    [InlineData(new byte[] { 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0xFF })] // label not UTF-8
    [InlineData(new byte[] { 0x02 })] // an ACK is not an OPEN
    public void TryParseOpen_Malformed_ReturnsFalse(byte[] message) =>
        Assert.False(DcepMessage.TryParseOpen(message, out _));

    [Fact]
    public void EncodeOpen_ThenParse_RoundTrips()
    {
        var bytes = DcepMessage.EncodeOpen("ticks", "json", ordered: false, maxRetransmits: 3, maxLifetimeMs: null);

        Assert.Equal(0x81, bytes[1]);
        Assert.True(DcepMessage.TryParseOpen(bytes, out var parsed));
        Assert.Equal(("ticks", "json", false, 3), (parsed.Label, parsed.Protocol, parsed.Ordered, parsed.MaxRetransmits));
    }
}
