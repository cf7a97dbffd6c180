using System.Net;
using Ticker.PushHub.WebRtc.Ice;
using Ticker.TurnRelay.Stun;
using static Ticker.WebRtc.Tests.Ice.StunRequests;

namespace Ticker.WebRtc.Tests.Ice;

/// <summary>Peer-reflexive learning, nomination, renomination and consent, with time passed in.</summary>
[Trait("Tier", "Fast")]
public sealed class IceLiteAgentSelectionTests
{
    private static readonly IPEndPoint A = IPEndPoint.Parse("198.51.100.1:40000");
    private static readonly IPEndPoint B = IPEndPoint.Parse("[2001:db8::2]:40002");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IceLiteAgent _agent = new(LocalUfrag, LocalPwd, RemoteUfrag, Timeout, TimeSpan.FromSeconds(100));
    private readonly byte[] _buffer = new byte[IceLiteAgent.MaxResponseLength];

    private StunClass Send(IPEndPoint source, double seconds, bool useCandidate = false, string? password = LocalPwd)
    {
        var length = _agent.HandleStun(Check(useCandidate: useCandidate, password: password), source, TimeSpan.FromSeconds(seconds), _buffer);
        return StunResponse.Read(_buffer.AsSpan(0, length)).Class;
    }

    [Fact]
    public void SelectedRemote_BeforeAnyCheck_IsNull()
    {
        Assert.Null(_agent.SelectedRemote);
        Assert.False(_agent.IsNominated);
    }

    [Fact]
    public void SelectedRemote_BeforeNomination_IsLatestVerifiedSource()
    {
        Send(A, 101);
        Assert.Equal(A, _agent.SelectedRemote);

        Send(B, 102);
        Assert.Equal(B, _agent.SelectedRemote);

        Send(A, 103, password: "WrongPassword0123456789xx"); // unverified: no switch
        Assert.Equal(B, _agent.SelectedRemote);
    }

    [Fact]
    public void SelectedRemote_AfterNomination_IgnoresPlainChecksAndFollowsNewestNomination()
    {
        Assert.Equal(StunClass.SuccessResponse, Send(A, 101, useCandidate: true));
        Assert.Equal(StunClass.SuccessResponse, Send(B, 102));
        Assert.Equal(A, _agent.SelectedRemote);

        Send(B, 103, useCandidate: true);
        Assert.Equal(B, _agent.SelectedRemote);

        Send(A, 104, useCandidate: true);
        Assert.Equal(A, _agent.SelectedRemote);
        Assert.True(_agent.IsNominated);
    }

    [Fact]
    public void HandleStun_IPv6Source_MapsItBack()
    {
        var length = _agent.HandleStun(Check(), B, TimeSpan.FromSeconds(101), _buffer);

        Assert.Equal(B, StunResponse.Read(_buffer.AsSpan(0, length)).XorMappedAddress);
    }

    [Fact]
    public void HandleStun_MappedIPv4Source_ReportsIPv4AndKeepsSocketAddress()
    {
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.9"), 5555);

        var length = _agent.HandleStun(Check(), mapped, TimeSpan.FromSeconds(101), _buffer);

        Assert.Equal(IPEndPoint.Parse("192.0.2.9:5555"), StunResponse.Read(_buffer.AsSpan(0, length)).XorMappedAddress);
        Assert.Equal(mapped, _agent.SelectedRemote);
    }

    [Fact]
    public void IsExpired_WithoutChecks_AfterTimeoutFromCreation()
    {
        Assert.False(_agent.IsExpired(TimeSpan.FromSeconds(129)));
        Assert.True(_agent.IsExpired(TimeSpan.FromSeconds(130)));
    }

    [Fact]
    public void IsExpired_ValidCheck_RestartsTimeout()
    {
        Send(A, 120);

        Assert.False(_agent.IsExpired(TimeSpan.FromSeconds(149)));
        Assert.True(_agent.IsExpired(TimeSpan.FromSeconds(150)));
    }

    [Fact]
    public void IsExpired_InvalidChecks_DoNotRestartTimeout()
    {
        Send(A, 120, password: "WrongPassword0123456789xx");
        _agent.HandleStun(Check(controlled: true), A, TimeSpan.FromSeconds(121), _buffer);
        _agent.HandleStun(Check(extraAttribute: 0x7777), A, TimeSpan.FromSeconds(122), _buffer);

        Assert.True(_agent.IsExpired(TimeSpan.FromSeconds(130)));
    }

    [Fact]
    public void IsExpired_ChecksKeepComing_NeverExpires()
    {
        for (var t = 100.0; t < 400; t += 2.5) // Chromium's ~2.5 s keepalive on a stable pair
        {
            Send(A, t, useCandidate: true);
            Assert.False(_agent.IsExpired(TimeSpan.FromSeconds(t + 2.5)));
        }
    }
}
