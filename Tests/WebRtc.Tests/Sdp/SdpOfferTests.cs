using Ticker.PushHub.WebRtc.Sdp;
using Ticker.WebRtc.Tests.Ice;

namespace Ticker.WebRtc.Tests.Sdp;

/// <summary>Reading a real Chromium 156 offer, and what the parser tolerates.</summary>
[Trait("Tier", "Fast")]
public sealed class SdpOfferTests
{
    private const string Fingerprint = "8C:A9:06:29:F7:7B:E6:BB:FC:6F:96:0A:A9:53:4D:E1:5E:9F:40:B1:B6:01:71:16:B9:2F:C2:BE:12:81:A0:22";

    internal static string Chromium => TestVectors.ChromiumOffer;

    [Fact]
    public void Parse_ChromiumOffer_ReadsDataSection()
    {
        var offer = SdpOffer.Parse(Chromium);

        Assert.Equal(new SdpOffer("Q++d", "E3NsT4L67RTv4vOs+MNwPFEw", Fingerprint, "actpass", "0", 5000, 262144), offer);
    }

    [Fact]
    public void Parse_LfLineEndings_SameAsCrlf()
    {
        Assert.Equal(SdpOffer.Parse(Chromium), SdpOffer.Parse(Chromium.Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_JunkLines_AreIgnored()
    {
        var junk = Chromium.Replace("a=mid:0\r\n", "a=mid:0\r\n\r\nnot sdp at all\r\n=\r\nx\r\nz=unknown type\r\na=\r\na=bogus-attribute:1\r\n", StringComparison.Ordinal);

        Assert.Equal(SdpOffer.Parse(Chromium), SdpOffer.Parse(junk));
    }

    [Fact]
    public void Parse_SessionLevelCredentials_AreUsed()
    {
        var moved = Chromium
            .Replace("a=ice-ufrag:Q++d\r\na=ice-pwd:E3NsT4L67RTv4vOs+MNwPFEw\r\n", "", StringComparison.Ordinal)
            .Replace($"a=fingerprint:sha-256 {Fingerprint}\r\n", "", StringComparison.Ordinal)
            .Replace("a=group:BUNDLE 0\r\n", $"a=group:BUNDLE 0\r\na=ice-ufrag:Sess\r\na=ice-pwd:SessionPassword0123456789\r\na=fingerprint:sha-256 {Fingerprint}\r\n", StringComparison.Ordinal);

        var offer = SdpOffer.Parse(moved);

        Assert.Equal("Sess", offer.IceUfrag);
        Assert.Equal("SessionPassword0123456789", offer.IcePwd);
        Assert.Equal(Fingerprint, offer.FingerprintSha256);
    }

    [Fact]
    public void Parse_MediaLevel_WinsOverSessionLevel()
    {
        var both = Chromium.Replace("a=group:BUNDLE 0\r\n",
            "a=group:BUNDLE 0\r\na=ice-ufrag:Sess\r\na=ice-pwd:SessionPassword0123456789\r\na=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\na=setup:active\r\n",
            StringComparison.Ordinal);

        Assert.Equal(SdpOffer.Parse(Chromium), SdpOffer.Parse(both));
    }

    [Fact]
    public void Parse_OptionalAttributesAbsent_TakeDefaults()
    {
        var bare = Chromium
            .Replace("a=setup:actpass\r\n", "", StringComparison.Ordinal)
            .Replace("a=mid:0\r\n", "", StringComparison.Ordinal)
            .Replace("a=sctp-port:5000\r\n", "", StringComparison.Ordinal)
            .Replace("a=max-message-size:262144\r\n", "", StringComparison.Ordinal);

        var offer = SdpOffer.Parse(bare);

        Assert.Equal("active", offer.Setup); // RFC 4145 §4
        Assert.Equal("", offer.Mid);
        Assert.Equal(5000, offer.SctpPort);
        Assert.Equal(65536, offer.MaxMessageSize); // RFC 8841 §6.1
    }

    [Theory]
    [InlineData("0", int.MaxValue)] // RFC 8841 §6: 0 = any size
    [InlineData("1024", 1024)]
    [InlineData("2147483648", int.MaxValue)]
    [InlineData("99999999999999999999999999", int.MaxValue)]
    public void Parse_MaxMessageSize_IsHonoured(string value, int expected)
    {
        var offer = SdpOffer.Parse(Chromium.Replace("max-message-size:262144", $"max-message-size:{value}", StringComparison.Ordinal));

        Assert.Equal(expected, offer.MaxMessageSize);
    }

    [Fact]
    public void Parse_SetupActive_IsAccepted()
    {
        Assert.Equal("active", SdpOffer.Parse(Chromium.Replace("setup:actpass", "setup:active", StringComparison.Ordinal)).Setup);
    }

    [Fact]
    public void Parse_SeveralFingerprints_PicksSha256AndNormalisesCase()
    {
        var several = Chromium.Replace($"a=fingerprint:sha-256 {Fingerprint}",
            $"a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\r\na=fingerprint:SHA-256 {Fingerprint.ToLowerInvariant()}",
            StringComparison.Ordinal);

        Assert.Equal(Fingerprint, SdpOffer.Parse(several).FingerprintSha256);
    }

    [Fact]
    public void Parse_OtherSctpPort_IsRead()
    {
        Assert.Equal(5001, SdpOffer.Parse(Chromium.Replace("sctp-port:5000", "sctp-port:5001", StringComparison.Ordinal)).SctpPort);
    }
}
