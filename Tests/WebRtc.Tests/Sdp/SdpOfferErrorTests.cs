using Ticker.PushHub.WebRtc.Sdp;

namespace Ticker.WebRtc.Tests.Sdp;

/// <summary>Every offer the hub cannot answer throws SdpException with a message that says why.</summary>
[Trait("Tier", "Fast")]
public sealed class SdpOfferErrorTests
{
    private const string NoDataSection = "offer has no m=application UDP/DTLS/SCTP webrtc-datachannel section";

    public static TheoryData<string, string, string> Mutations => new()
    {
        // what to replace in Chromium's offer, with what, and the expected message fragment
        { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=audio 9 UDP/TLS/RTP/SAVPF 111", NoDataSection },
        { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application 9 TCP/DTLS/SCTP webrtc-datachannel", NoDataSection },
        { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application 9 UDP/DTLS/SCTP", NoDataSection },
        { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application 9 DTLS/SCTP 5000", "legacy" },
        { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application 0 UDP/DTLS/SCTP webrtc-datachannel", "port 0" },
        { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application x UDP/DTLS/SCTP webrtc-datachannel", "malformed port" },
        { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111", "2 m= sections" },
        { "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel", "2 m= sections" },
        { "a=group:BUNDLE 0\r\n", "a=group:BUNDLE 0\r\na=ice-lite\r\n", "a=ice-lite too" },
        { "a=ice-ufrag:Q++d\r\n", "", "no a=ice-ufrag" },
        { "a=ice-pwd:E3NsT4L67RTv4vOs+MNwPFEw\r\n", "", "no a=ice-pwd" },
        { "a=ice-ufrag:Q++d", "a=ice-ufrag:Q++", "a=ice-ufrag must be 4-256 ice-chars" },
        { "a=ice-ufrag:Q++d", "a=ice-ufrag:Q+-d", "a=ice-ufrag must be 4-256 ice-chars" },
        { "a=ice-ufrag:Q++d", "a=ice-ufrag:" + new string('Q', 257), "a=ice-ufrag must be 4-256 ice-chars" },
        { "a=ice-pwd:E3NsT4L67RTv4vOs+MNwPFEw", "a=ice-pwd:E3NsT4L67RTv4vOs+MNwP", "a=ice-pwd must be 22-256 ice-chars" },
        { "a=ice-pwd:E3NsT4L67RTv4vOs+MNwPFEw", "a=ice-pwd:E3NsT4L67RTv4vOs+MNwPFE=", "a=ice-pwd must be 22-256 ice-chars" },
        { "a=fingerprint:sha-256 ", "a=not-fingerprint:sha-256 ", "no a=fingerprint" },
        { "a=fingerprint:sha-256 8C:A9:06:29:F7:7B:E6:BB:FC:6F:96:0A:A9:53:4D:E1:5E:9F:40:B1:B6:01:71:16:B9:2F:C2:BE:12:81:A0:22",
            "a=fingerprint:sha-1 8C:A9:06:29:F7:7B:E6:BB:FC:6F:96:0A:A9:53:4D:E1:5E:9F:40:B1", "uses sha-1; only sha-256 is supported" },
        { "A0:22\r\n", "A0\r\n", "not 32 colon-separated hex bytes" },
        { "A0:22\r\n", "A0:2G\r\n", "not 32 colon-separated hex bytes" },
        { "a=setup:actpass", "a=setup:passive", "a=setup:passive" },
        { "a=setup:actpass", "a=setup:holdconn", "a=setup:holdconn is not actpass or active" },
        { "a=mid:0", "a=mid:a b", "a=mid is not a token" },
        { "a=sctp-port:5000", "a=sctp-port:0", "a=sctp-port '0' is not 1-65535" },
        { "a=sctp-port:5000", "a=sctp-port:70000", "a=sctp-port '70000' is not 1-65535" },
        { "a=max-message-size:262144", "a=max-message-size:-1", "a=max-message-size '-1' is not a non-negative integer" },
        { "a=max-message-size:262144", "a=max-message-size:", "a=max-message-size '' is not a non-negative integer" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Parse_BrokenOffer_ThrowsSayingWhy(string find, string replace, string message)
    {
        var broken = SdpOfferTests.Chromium.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(SdpOfferTests.Chromium, broken);

        var error = Assert.Throws<SdpException>(() => SdpOffer.Parse(broken));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v=0\r\n")]
    [InlineData("garbage")]
    public void Parse_NoMediaSection_SaysSo(string sdp)
    {
        Assert.Equal(NoDataSection, Assert.Throws<SdpException>(() => SdpOffer.Parse(sdp)).Message);
    }

    [Fact]
    public void Parse_Oversized_IsRefusedNamingTheLimit()
    {
        var huge = SdpOfferTests.Chromium + new string('x', SdpOffer.MaxLength);

        var error = Assert.Throws<SdpException>(() => SdpOffer.Parse(huge));

        Assert.Contains("65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExactlyAtLimit_IsParsed()
    {
        var padded = SdpOfferTests.Chromium + new string('x', SdpOffer.MaxLength - SdpOfferTests.Chromium.Length);

        Assert.Equal("Q++d", SdpOffer.Parse(padded).IceUfrag);
    }
}
