using System.Net;
using System.Text;
using Ticker.TurnRelay.Stun;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Relay;

/// <summary>Permissions, channels, Send/Data indications and ChannelData over UDP and TCP.</summary>
public sealed class TurnServerRelayTests
{
    [Fact]
    public async Task SendIndication_WithPermission_ReachesPeerAndReplyComesBackAsDataIndication()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);
        Assert.True(client.CreatePermission(peer.EndPoint).IsSuccess);

        client.SendIndication(peer.EndPoint, Encoding.UTF8.GetBytes("hello"));
        var (data, from) = peer.Receive() ?? throw new TimeoutException();
        peer.SendTo(Encoding.UTF8.GetBytes("world!"), from);
        var indication = client.Receive() ?? throw new TimeoutException();

        Assert.Equal("hello", Encoding.UTF8.GetString(data));
        Assert.Equal(client.Relayed!.Value.ToIPEndPoint(), from);
        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(indication, out var message));
        Assert.Equal(StunMethod.Data, message.Method);
        Assert.Equal(StunClass.Indication, message.Class);
        Assert.True(message.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peerAddress));
        Assert.Equal(peer.EndPoint, peerAddress.ToIPEndPoint());
        Assert.True(message.TryGetAttribute(StunAttributeType.Data, out var payload));
        Assert.Equal("world!", Encoding.UTF8.GetString(payload));
        Assert.Equal(0, indication[^2] | indication[^1]); // zero padding after the 6 data bytes
    }

    [Fact]
    public async Task SendIndication_WithoutPermission_IsDropped()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);

        client.SendIndication(peer.EndPoint, [1, 2, 3]);

        Assert.Null(peer.Receive(500));
        Assert.True(server.Server.Metrics.DatagramsDropped > 0);
    }

    [Fact]
    public async Task PeerDatagram_WithoutPermission_IsNotRelayedToClient()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);

        peer.SendTo([1, 2, 3], client.Relayed!.Value.ToIPEndPoint());

        Assert.Null(client.Receive(500));
    }

    [Fact]
    public async Task ChannelData_BoundChannel_RelaysBothWays()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);
        Assert.True(client.ChannelBind(0x4001, peer.EndPoint).IsSuccess);

        client.SendChannelData(0x4001, [10, 20, 30]);
        var (data, from) = peer.Receive() ?? throw new TimeoutException();
        peer.SendTo([40, 50], from);
        var frame = client.Receive() ?? throw new TimeoutException();

        Assert.Equal([10, 20, 30], data);
        Assert.True(ChannelDataFrame.TryRead(frame, out var channel, out var payload));
        Assert.Equal(0x4001, channel);
        Assert.Equal([40, 50], payload.ToArray());
        Assert.True(server.Server.Metrics.DatagramsRelayed >= 2);
        Assert.True(server.Server.Metrics.BytesRelayed >= 5);
    }

    [Fact]
    public async Task ChannelData_UnboundChannel_IsDropped()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);
        Assert.True(client.ChannelBind(0x4001, peer.EndPoint).IsSuccess);

        client.SendChannelData(0x4002, [1]);

        Assert.Null(peer.Receive(500));
    }

    [Theory]
    [InlineData(0x3FFF)]
    [InlineData(0x5000)]
    [InlineData(0x7FFF)]
    [InlineData(0xFFFF)]
    [InlineData(0x0000)]
    public async Task ChannelBind_NumberOutsideRfc8656Range_Returns400(int channel)
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);

        Assert.Equal(StunErrorCode.BadRequest, client.ChannelBind((ushort)channel, peer.EndPoint).ErrorCode);
    }

    [Fact]
    public async Task ChannelBind_LegacyNumbersEnabled_Accepts0x5000To0x7FFF()
    {
        await using var server = await TestServer.StartAsync(o => o.LegacyChannelNumbers = true);
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);

        Assert.True(client.ChannelBind(0x7FFF, peer.EndPoint).IsSuccess);
        Assert.Equal(StunErrorCode.BadRequest, client.ChannelBind(0x8000, peer.EndPoint).ErrorCode);
    }

    [Fact]
    public async Task ChannelBind_ChannelAlreadyBoundToOtherPeer_Returns400()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        using var peerA = new TestPeer();
        using var peerB = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);
        Assert.True(client.ChannelBind(0x4001, peerA.EndPoint).IsSuccess);

        Assert.Equal(StunErrorCode.BadRequest, client.ChannelBind(0x4001, peerB.EndPoint).ErrorCode);
        Assert.Equal(StunErrorCode.BadRequest, client.ChannelBind(0x4002, peerA.EndPoint).ErrorCode);
        Assert.True(client.ChannelBind(0x4001, peerA.EndPoint).IsSuccess); // refresh of the same pair
    }

    [Fact]
    public async Task CreatePermission_BeyondPerAllocationCap_Returns508()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.MaxPermissionsPerAllocation = 2;
            o.AllowedPeerIps.Add("127.0.0.0/8");
        });
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);

        Assert.True(client.CreatePermission(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 1)).IsSuccess);
        Assert.True(client.CreatePermission(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 1)).IsSuccess);
        Assert.Equal(StunErrorCode.InsufficientCapacity, client.CreatePermission(new IPEndPoint(IPAddress.Parse("127.0.0.4"), 1)).ErrorCode);
    }

    [Fact]
    public async Task CreatePermission_WithoutAllocation_Returns437()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        Assert.Equal(StunErrorCode.AllocationMismatch, client.CreatePermission(new IPEndPoint(IPAddress.Loopback, 9)).ErrorCode);
    }

    [Fact]
    public async Task CreatePermission_Ipv6PeerOnIpv4Relay_Returns443()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);

        Assert.Equal(StunErrorCode.PeerAddressFamilyMismatch, client.CreatePermission(new IPEndPoint(IPAddress.Parse("2001:4860::1"), 9)).ErrorCode);
    }

    [Fact]
    public async Task MaxBps_Exceeded_DropsDatagrams()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxBps = 1000);
        using var client = server.Client();
        using var peer = new TestPeer();
        Assert.True(client.Allocate().IsSuccess);
        Assert.True(client.ChannelBind(0x4001, peer.EndPoint).IsSuccess);

        for (var i = 0; i < 10; i++)
        {
            client.SendChannelData(0x4001, new byte[500]);
        }
        var received = 0;
        while (peer.Receive(300) is not null)
        {
            received++;
        }

        Assert.InRange(received, 1, 3);
        Assert.True(server.Server.Metrics.DatagramsDropped >= 7);
    }

    [Fact]
    public async Task Tcp_AllocateAndChannelData_RelaysWithPadding()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await TestTcpClient.ConnectAsync(server.TcpEndPoint, TestServer.User, TestServer.Password, TestServer.Realm);
        using var peer = new TestPeer();
        Assert.True((await client.AllocateAsync()).IsSuccess);
        Assert.True((await client.ChannelBindAsync(0x4003, peer.EndPoint)).IsSuccess);

        await client.SendChannelDataAsync(0x4003, [1, 2, 3, 4, 5]);
        var (data, from) = peer.Receive() ?? throw new TimeoutException();
        peer.SendTo([9, 8, 7], from);
        var frame = await client.ReadFrameAsync();

        Assert.Equal([1, 2, 3, 4, 5], data);
        Assert.Equal(8, frame.Length); // 4 header + 3 data + 1 padding (RFC 8656 §12.5)
        Assert.True(ChannelDataFrame.TryRead(frame, out var channel, out var payload));
        Assert.Equal(0x4003, channel);
        Assert.Equal([9, 8, 7], payload.ToArray());
        Assert.Equal(0, frame[7]);
    }

    [Fact]
    public async Task Tcp_ConnectionClosed_DeletesAllocation()
    {
        await using var server = await TestServer.StartAsync();
        var client = await TestTcpClient.ConnectAsync(server.TcpEndPoint, TestServer.User, TestServer.Password, TestServer.Realm);
        Assert.True((await client.AllocateAsync()).IsSuccess);
        Assert.Equal(1, server.Server.AllocationCount);

        client.Dispose();
        for (var i = 0; i < 100 && server.Server.AllocationCount > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, server.Server.AllocationCount);
    }

    [Fact]
    public async Task Tcp_OversizedStunFrame_ClosesConnection()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await TestTcpClient.ConnectAsync(server.TcpEndPoint, TestServer.User, TestServer.Password, TestServer.Realm);

        // A STUN header claiming 65532 bytes: refused before anything is buffered.
        await client.WriteRawAsync([0x00, 0x01, 0xFF, 0xFC, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

        Assert.True(await client.IsClosedAsync());
    }
}
