using System.Net;
using Ticker.PushHub.WebRtc.Sdp;

namespace Ticker.WebRtc.Tests.Sdp;

/// <summary>The answer has the shape Chromium accepted (docs/webrtc-notes.md) and reads back.</summary>
[Trait("Tier", "Fast")]
public sealed class SdpAnswerTests
{
    private const string Ufrag = "HubUfrag";
    private const string Pwd = "HubPassword0123456789+/ab";
    private const string Fingerprint = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";

    private static readonly SdpOffer Offer = SdpOffer.Parse(SdpOfferTests.Chromium);

    [Fact]
    public void Build_OneIPv4Candidate_IsTheNotesShape()
    {
        var answer = SdpAnswer.Build(Offer, Ufrag, Pwd, Fingerprint, [IPEndPoint.Parse("127.0.0.1:50000")], 262144);

        Assert.Equal(
            "v=0\r\n" +
            "o=- 1 2 IN IP4 127.0.0.1\r\n" +
            "s=-\r\n" +
            "t=0 0\r\n" +
            "a=group:BUNDLE 0\r\n" +
            "a=ice-lite\r\n" +
            "m=application 50000 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
            "c=IN IP4 127.0.0.1\r\n" +
            "a=ice-ufrag:HubUfrag\r\n" +
            "a=ice-pwd:HubPassword0123456789+/ab\r\n" +
            $"a=fingerprint:sha-256 {Fingerprint}\r\n" +
            "a=setup:passive\r\n" +
            "a=mid:0\r\n" +
            "a=sctp-port:5000\r\n" +
            "a=max-message-size:262144\r\n" +
            "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n" +
            "a=end-of-candidates\r\n",
            answer);
    }

    [Fact]
    public void Build_OfferWithAnotherSctpPort_AnswersWithTheSamePort()
    {
        // The association uses one port number on both ends (DataChannelOptions.Port): mirror the offer's.
        var answer = SdpAnswer.Build(Offer with { SctpPort = 5001 }, Ufrag, Pwd, Fingerprint, [IPEndPoint.Parse("127.0.0.1:50000")], 262144);

        Assert.Contains("a=sctp-port:5001\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("a=sctp-port:5000", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EveryLine_EndsWithCrlf()
    {
        var answer = SdpAnswer.Build(Offer, Ufrag, Pwd, Fingerprint, [IPEndPoint.Parse("192.0.2.2:50000"), IPEndPoint.Parse("[2001:db8::1]:50000")], 65536);

        Assert.EndsWith("\r\n", answer, StringComparison.Ordinal);
        Assert.Equal(answer.Count(c => c == '\n'), answer.Count(c => c == '\r'));
        Assert.DoesNotContain("\r\r", answer, StringComparison.Ordinal);
        Assert.All(answer.Split("\r\n")[..^1], line => Assert.Matches("^[a-z]=", line));
    }

    [Fact]
    public void Build_IPv4AndIPv6_OneCandidateEachWithDistinctPriorities()
    {
        var answer = SdpAnswer.Build(Offer, Ufrag, Pwd, Fingerprint, [IPEndPoint.Parse("192.0.2.2:50000"), IPEndPoint.Parse("[2001:db8::1]:50001")], 65536);

        Assert.Contains("a=candidate:1 1 udp 2130706431 192.0.2.2 50000 typ host\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=candidate:2 1 udp 2130706175 2001:db8::1 50001 typ host\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_IPv6First_UsesIP6InConnectionLine()
    {
        var answer = SdpAnswer.Build(Offer, Ufrag, Pwd, Fingerprint, [IPEndPoint.Parse("[2001:db8::1]:50001")], 65536);

        Assert.Contains("m=application 50001 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP6 2001:db8::1\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ScopedAndMappedAddresses_AreWrittenPlainly()
    {
        var answer = SdpAnswer.Build(Offer, Ufrag, Pwd, Fingerprint,
            [new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.2"), 1), new IPEndPoint(IPAddress.Parse("fe80::1%2"), 2)], 65536);

        Assert.Contains("c=IN IP4 192.0.2.2\r\n", answer, StringComparison.Ordinal);
        Assert.Contains(" 192.0.2.2 1 typ host", answer, StringComparison.Ordinal);
        Assert.Contains(" fe80::1 2 typ host", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Priority_FollowsRfc8445Formula()
    {
        Assert.Equal((126u << 24) + (65535u << 8) + 255, SdpAnswer.Priority(0));
        Assert.Equal((126u << 24) + (65534u << 8) + 255, SdpAnswer.Priority(1));
    }

    [Fact]
    public void Build_OwnAnswer_ReadsBackThroughTheParser()
    {
        var answer = SdpAnswer.Build(Offer, Ufrag, Pwd, Fingerprint.ToLowerInvariant(), [IPEndPoint.Parse("127.0.0.1:50000")], 1234);

        // The parser reads offers, so it refuses what makes this an answer (ice-lite, then passive);
        // with those two lines turned into an offer's, everything else must read back.
        Assert.Contains("a=ice-lite", Assert.Throws<SdpException>(() => SdpOffer.Parse(answer)).Message, StringComparison.Ordinal);
        var notLite = answer.Replace("a=ice-lite\r\n", "", StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", Assert.Throws<SdpException>(() => SdpOffer.Parse(notLite)).Message, StringComparison.Ordinal);
        var read = SdpOffer.Parse(notLite.Replace("a=setup:passive", "a=setup:actpass", StringComparison.Ordinal));
        Assert.Equal(new SdpOffer(Ufrag, Pwd, Fingerprint, "actpass", Offer.Mid, 5000, 1234), read);
    }

    [Fact]
    public void Build_OfferWithoutMid_OmitsBundleAndMid()
    {
        var answer = SdpAnswer.Build(Offer with { Mid = "" }, Ufrag, Pwd, Fingerprint, [IPEndPoint.Parse("127.0.0.1:50000")], 65536);

        Assert.DoesNotContain("a=group", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("a=mid", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BadArguments_Throw()
    {
        IPEndPoint[] one = [IPEndPoint.Parse("127.0.0.1:1")];
        Assert.Throws<ArgumentException>(() => SdpAnswer.Build(Offer, "abc", Pwd, Fingerprint, one, 1));
        Assert.Throws<ArgumentException>(() => SdpAnswer.Build(Offer, Ufrag, "short", Fingerprint, one, 1));
        Assert.Throws<ArgumentException>(() => SdpAnswer.Build(Offer, Ufrag, Pwd, "AA:BB", one, 1));
        Assert.Throws<ArgumentException>(() => SdpAnswer.Build(Offer, Ufrag, Pwd, Fingerprint, [], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SdpAnswer.Build(Offer, Ufrag, Pwd, Fingerprint, one, 0));
    }
}
