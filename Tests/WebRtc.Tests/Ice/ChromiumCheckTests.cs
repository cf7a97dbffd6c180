using System.Net;
using Ticker.PushHub.WebRtc.Ice;
using Ticker.PushHub.WebRtc.Sdp;
using Ticker.TurnRelay.Stun;

namespace Ticker.WebRtc.Tests.Ice;

/// <summary>
/// Chromium 156's real connectivity checks (Vectors/chromium-binding-*.hex), sent to an answer with
/// known credentials (Vectors/chromium-capture.json): the agent must accept them as they are.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ChromiumCheckTests
{
    private static readonly TestVectors.CaptureInfo Capture = TestVectors.Capture;

    private static IceLiteAgent NewAgent() =>
        new(Capture.ServerUfrag, Capture.ServerPwd, Capture.BrowserUfrag, TimeSpan.FromSeconds(30), TimeSpan.Zero);

    [Fact]
    public void Vectors_BrowserUfrag_MatchesCapturedOffer()
    {
        Assert.Equal(Capture.BrowserUfrag, SdpOffer.Parse(TestVectors.ChromiumOffer).IceUfrag);
    }

    [Theory]
    [InlineData("chromium-binding-first.hex", false)]
    [InlineData("chromium-binding-use-candidate.hex", true)]
    public void HandleStun_ChromiumCheck_AnswersVerifiableSuccess(string vector, bool nominates)
    {
        var check = TestVectors.ReadHex(vector);
        var source = IPEndPoint.Parse(Capture.FirstFrom);
        var agent = NewAgent();
        var buffer = new byte[IceLiteAgent.MaxResponseLength];

        var length = agent.HandleStun(check, source, TimeSpan.FromSeconds(1), buffer);

        var response = StunResponse.Read(buffer.AsSpan(0, length), Capture.ServerPwd);
        Assert.Equal(StunClass.SuccessResponse, response.Class);
        Assert.Equal(check.AsSpan(8, 12).ToArray(), response.TransactionId);
        Assert.True(response.IntegrityValid);
        Assert.True(response.FingerprintValid);
        Assert.Equal(source, response.XorMappedAddress);
        Assert.Equal(source, agent.SelectedRemote);
        Assert.Equal(nominates, agent.IsNominated);
    }

    [Fact]
    public void ChromiumCheck_CarriesWhatTheNotesSay()
    {
        var check = TestVectors.ReadHex("chromium-binding-use-candidate.hex");

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(check, out var reader));
        Assert.True(reader.HasAttribute(StunAttributeType.IceControlling));
        Assert.True(reader.HasAttribute(StunAttributeType.Priority));
        Assert.True(reader.HasAttribute(StunAttributeType.UseCandidate));
        Assert.True(reader.HasAttribute(0xC057)); // GOOG-NETWORK-INFO
        Assert.True(StunFingerprint.Verify(reader));
    }

    [Fact]
    public void TryReadLocalUfrag_ChromiumCheck_GivesServerUfrag()
    {
        Assert.True(IceLiteAgent.TryReadLocalUfrag(TestVectors.ReadHex("chromium-binding-first.hex"), out var ufrag));
        Assert.Equal(Capture.ServerUfrag, ufrag);
    }

    [Fact]
    public void HandleStun_ChromiumCheckWithOtherPassword_Is401()
    {
        var agent = new IceLiteAgent(Capture.ServerUfrag, "AnotherPassword0123456789", Capture.BrowserUfrag, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        var buffer = new byte[IceLiteAgent.MaxResponseLength];

        var length = agent.HandleStun(TestVectors.ReadHex("chromium-binding-first.hex"), IPEndPoint.Parse(Capture.FirstFrom), TimeSpan.Zero, buffer);

        var response = StunResponse.Read(buffer.AsSpan(0, length));
        Assert.Equal(StunErrorCode.Unauthorized, response.ErrorCode);
        Assert.Null(agent.SelectedRemote);
    }
}
