using System.Net;
using Ticker.TurnRelay.Relay;
using Ticker.TurnRelay.Stun;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Relay;

/// <summary>SSRF: relaying into private, special or translated address space is refused by default.</summary>
public sealed class PeerPolicyTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("192.0.2.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("198.18.0.1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped loopback (CVE-2026-27624)
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("2001::1")] // Teredo
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::1")] // 6to4 of 192.168.1.1
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    public void IsAllowed_SpecialAddress_IsRefusedByDefault(string ip)
    {
        var policy = new PeerPolicy(new TurnRelayOptions());

        Assert.False(policy.IsAllowed(Address(ip)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2a00:1450::1")]
    public void IsAllowed_PublicAddress_IsAllowed(string ip)
    {
        Assert.True(new PeerPolicy(new TurnRelayOptions()).IsAllowed(Address(ip)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", false)] // the mapped form stays refused even in test mode
    [InlineData("10.0.0.1", false)]
    public void IsAllowed_AllowLoopbackPeers_OpensOnlyLoopback(string ip, bool allowed)
    {
        var policy = new PeerPolicy(new TurnRelayOptions { AllowLoopbackPeers = true });

        Assert.Equal(allowed, policy.IsAllowed(Address(ip)));
    }

    [Fact]
    public void IsAllowed_AllowListRange_OverridesDefaultDenial()
    {
        var options = new TurnRelayOptions();
        options.AllowedPeerIps.Add("10.1.0.0-10.1.255.255");
        var policy = new PeerPolicy(options);

        Assert.True(policy.IsAllowed(Address("10.1.2.3")));
        Assert.False(policy.IsAllowed(Address("10.2.0.1")));
    }

    [Fact]
    public void IsAllowed_DenyListCidr_RefusesPublicRange()
    {
        var options = new TurnRelayOptions();
        options.DeniedPeerIps.Add("8.8.8.0/24");
        options.DeniedPeerIps.Add("2001:4860::/32");
        var policy = new PeerPolicy(options);

        Assert.False(policy.IsAllowed(Address("8.8.8.8")));
        Assert.False(policy.IsAllowed(Address("2001:4860:4860::8888")));
        Assert.True(policy.IsAllowed(Address("8.8.4.4")));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("192.168.0.1")]
    public async Task CreatePermissionAndChannelBind_PrivatePeer_Return403(string ip)
    {
        await using var server = await TestServer.StartAsync(o => o.AllowLoopbackPeers = false);
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);
        var peer = new IPEndPoint(IPAddress.Parse(ip), 9);

        Assert.Equal(Ticker.TurnRelay.Stun.StunErrorCode.Forbidden, client.CreatePermission(peer).ErrorCode);
        Assert.Equal(Ticker.TurnRelay.Stun.StunErrorCode.Forbidden, client.ChannelBind(0x4000, peer).ErrorCode);
    }

    [Fact]
    public async Task SendIndication_ToRefusedPeer_IsNotRelayed()
    {
        await using var server = await TestServer.StartAsync(o => o.AllowLoopbackPeers = false);
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);

        client.SendIndication(peer.EndPoint, [1, 2, 3]);

        Assert.Null(peer.Receive(500));
    }

    private static StunTransportAddress Address(string ip) => StunTransportAddress.FromEndPoint(new IPEndPoint(IPAddress.Parse(ip), 9));
}
