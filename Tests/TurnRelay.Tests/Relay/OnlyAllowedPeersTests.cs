using System.Net;
using Ticker.TurnRelay.Relay;
using Ticker.TurnRelay.Stun;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Relay;

/// <summary>
/// Turn:OnlyAllowedPeers (the bundled relay's default): the allowed endpoints and nothing else, not
/// even public space; and REST users' quotas counted per user, not per credential.
/// </summary>
public sealed class OnlyAllowedPeersTests
{
    private static StunTransportAddress Peer(string endpoint) => StunTransportAddress.FromEndPoint(IPEndPoint.Parse(endpoint));

    [Theory]
    [InlineData("127.0.0.1:50000", true)]
    [InlineData("127.0.0.1:50001", false)]
    [InlineData("8.8.8.8:443", false)] // public space too
    [InlineData("10.0.0.1:50000", false)]
    [InlineData("198.51.100.7:9", true)] // Turn:AllowedPeerIps widens it
    public void IsAllowed_OnlyAllowedPeers_EndpointsAndAllowListOnly(string peer, bool allowed)
    {
        var options = new TurnRelayOptions { OnlyAllowedPeers = true, AllowLoopbackPeers = true };
        options.AllowedPeerEndpoints.Add("127.0.0.1:50000");
        options.AllowedPeerIps.Add("198.51.100.0/24");

        Assert.Equal(allowed, new PeerPolicy(options).IsAllowed(Peer(peer)));
    }

    [Fact]
    public async Task CreatePermission_OnlyAllowedPeers_403ForAnyOtherAddress()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.OnlyAllowedPeers = true;
            o.AllowedPeerEndpoints.Add("127.0.0.1:50000");
        });
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);

        Assert.True(client.CreatePermission(IPEndPoint.Parse("127.0.0.1:50000")).IsSuccess);
        Assert.Equal(StunErrorCode.Forbidden, client.CreatePermission(IPEndPoint.Parse("8.8.8.8:443")).ErrorCode);
        Assert.Equal(StunErrorCode.Forbidden, client.CreatePermission(IPEndPoint.Parse("127.0.0.2:50000")).ErrorCode);
    }

    [Fact]
    public async Task Allocate_RestCredentialsOfOneUser_ShareOneQuotaWhateverTheirExpiry()
    {
        await using var server = await TestServer.StartAsync(o => o.UserQuota = 1);
        var now = DateTimeOffset.UtcNow;
        var (first, firstPassword) = TurnRestCredentials.Create(TestServer.Secret, "10.0.0.1", TimeSpan.FromHours(1), now);
        var (renewed, renewedPassword) = TurnRestCredentials.Create(TestServer.Secret, "10.0.0.1", TimeSpan.FromHours(1), now.AddSeconds(5));
        var (other, otherPassword) = TurnRestCredentials.Create(TestServer.Secret, "10.0.0.2", TimeSpan.FromHours(1), now);
        using var one = server.Client(first, firstPassword);
        using var again = server.Client(renewed, renewedPassword);
        using var two = server.Client(other, otherPassword);

        Assert.True(one.Allocate().IsSuccess);
        Assert.Equal(StunErrorCode.AllocationQuotaReached, again.Allocate().ErrorCode);
        Assert.True(two.Allocate().IsSuccess);
    }
}
