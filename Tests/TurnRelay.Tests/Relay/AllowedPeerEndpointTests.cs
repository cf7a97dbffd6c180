using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay.Relay;
using Ticker.TurnRelay.Stun;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Relay;

/// <summary>
/// Turn:AllowedPeerEndpoints opens exactly the listed ip:port peers (the hub's own ICE endpoint)
/// inside denied space, and nothing else: not another port, not a neighbour, not the mapped form.
/// </summary>
public sealed class AllowedPeerEndpointTests
{
    private static PeerPolicy Policy(params string[] endpoints)
    {
        var options = new TurnRelayOptions();
        options.AllowedPeerEndpoints.AddRange(endpoints);
        return new PeerPolicy(options);
    }

    private static StunTransportAddress Peer(string endpoint) => StunTransportAddress.FromEndPoint(IPEndPoint.Parse(endpoint));

    [Theory]
    [InlineData("127.0.0.1:50000", true)]
    [InlineData("127.0.0.1:50001", false)] // same address, other port
    [InlineData("127.0.0.1:3478", false)]
    [InlineData("127.0.0.2:50000", false)] // same port, other address
    [InlineData("10.0.0.1:50000", false)]
    [InlineData("[::ffff:127.0.0.1]:50000", false)] // the IPv4-mapped form stays refused
    [InlineData("[::1]:50000", false)]
    [InlineData("8.8.8.8:50001", true)] // public space is unaffected
    public void IsAllowed_LoopbackEndpoint_OpensExactlyThatEndpoint(string peer, bool allowed)
    {
        Assert.Equal(allowed, Policy("127.0.0.1:50000").IsAllowed(Peer(peer)));
    }

    [Theory]
    [InlineData("[fd00::5]:4000", true)]
    [InlineData("[fd00::5]:4001", false)]
    [InlineData("[fd00::6]:4000", false)]
    [InlineData("192.168.1.10:4000", true)]
    [InlineData("192.168.1.10:4001", false)]
    public void IsAllowed_LanEndpoints_OpenExactlyThoseEndpoints(string peer, bool allowed)
    {
        Assert.Equal(allowed, Policy("[fd00::5]:4000", "192.168.1.10:4000").IsAllowed(Peer(peer)));
    }

    [Fact]
    public void IsAllowed_EndpointInExplicitDenyList_IsStillAllowed()
    {
        var options = new TurnRelayOptions();
        options.DeniedPeerIps.Add("8.8.8.0/24");
        options.AllowedPeerEndpoints.Add("8.8.8.8:53");
        var policy = new PeerPolicy(options);

        Assert.True(policy.IsAllowed(Peer("8.8.8.8:53")));
        Assert.False(policy.IsAllowed(Peer("8.8.8.8:54")));
    }

    [Fact]
    public void PermitsDatagram_EndpointOnlyAddress_OnlyThatPort()
    {
        var policy = Policy("127.0.0.1:50000");

        Assert.True(policy.PermitsDatagram(Peer("127.0.0.1:50000")));
        Assert.False(policy.PermitsDatagram(Peer("127.0.0.1:50001")));
        Assert.True(policy.PermitsDatagram(Peer("8.8.8.8:1"))); // other addresses: the permission decides
    }

    [Fact]
    public void PermitsDatagram_AddressAllowedAnyway_AllPorts()
    {
        var options = new TurnRelayOptions { AllowLoopbackPeers = true };
        options.AllowedPeerEndpoints.Add("127.0.0.1:50000");
        var policy = new PeerPolicy(options);

        Assert.True(policy.PermitsDatagram(Peer("127.0.0.1:50001")));
        Assert.True(policy.IsAllowed(Peer("127.0.0.1:50001")));
    }

    [Fact]
    public void PermitsDatagram_NoEndpointsConfigured_AlwaysTrue()
    {
        Assert.True(Policy().PermitsDatagram(Peer("127.0.0.1:1")));
    }

    [Theory]
    [InlineData("127.0.0.1")] // no port
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("localhost:5000")]
    [InlineData("10.0.0.0/8")]
    [InlineData("")]
    public void Validate_BadEndpoint_NamesTheSetting(string value)
    {
        var options = new TurnRelayOptions();
        options.AllowedPeerEndpoints.Add(value);

        var result = new TurnRelayOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Turn:AllowedPeerEndpoints", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTurnRelay_ConfigurationList_BindsEndpoints()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Turn:AllowedPeerEndpoints:0"] = "127.0.0.1:50000",
            ["Turn:AllowedPeerEndpoints:1"] = "[fd00::5]:4000",
        });
        builder.AddTurnRelay();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<TurnRelayOptions>>().Value;

        Assert.Equal(["127.0.0.1:50000", "[fd00::5]:4000"], options.AllowedPeerEndpoints);
    }

    [Fact]
    public async Task Relay_AllowedEndpoint_RelaysBothWaysAndRefusesItsOtherPorts()
    {
        using var hub = new TestPeer();
        using var neighbour = new TestPeer(); // same address (127.0.0.1), other port
        await using var server = await TestServer.StartAsync(o =>
        {
            o.AllowLoopbackPeers = false;
            o.AllowedPeerEndpoints.Add(hub.EndPoint.ToString());
        });
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);

        Assert.True(client.CreatePermission(hub.EndPoint).IsSuccess);
        Assert.Equal(StunErrorCode.Forbidden, client.CreatePermission(neighbour.EndPoint).ErrorCode);
        Assert.Equal(StunErrorCode.Forbidden, client.ChannelBind(0x4000, neighbour.EndPoint).ErrorCode);

        // The permission is per address (RFC 8656 §9), yet the neighbour port stays closed both ways.
        client.SendIndication(neighbour.EndPoint, [9]);
        Assert.Null(neighbour.Receive(300));
        client.SendIndication(hub.EndPoint, Encoding.UTF8.GetBytes("check"));
        var (_, relayAddress) = hub.Receive() ?? throw new TimeoutException();
        neighbour.SendTo([7], relayAddress);
        hub.SendTo(Encoding.UTF8.GetBytes("answer"), relayAddress);
        var indication = client.Receive() ?? throw new TimeoutException();
        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(indication, out var reader));
        Assert.True(reader.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var from));
        Assert.Equal(hub.EndPoint, from.ToIPEndPoint());
        Assert.True(reader.TryGetAttribute(StunAttributeType.Data, out var data));
        Assert.Equal("answer", Encoding.UTF8.GetString(data));
        Assert.Null(client.Receive(300)); // the neighbour's datagram was dropped
    }
}
