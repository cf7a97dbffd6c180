using System.Net;
using System.Net.Sockets;
using Ticker.TurnRelay.Stun;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Relay;

/// <summary>Random and mutated input, floods: the server neither crashes nor stops serving.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public void TryParse_RandomAndMutatedMessages_NeverThrows()
    {
        var random = new Random(5769);
        var seed = Convert.FromHexString(
            "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");
        var key = new byte[16];
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = Mutate(random, seed, i);
            if (StunMessageReader.TryParse(bytes, out var message) == StunParseResult.Ok)
            {
                parsed++;
                foreach (var attribute in message.Attributes)
                {
                    _ = attribute.Value.Length;
                }
                message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out _);
                message.TryGetErrorCode(out _, out _);
                StunIntegrity.Verify(message, key);
                StunFingerprint.Verify(message);
            }
            ChannelDataFrame.TryRead(bytes, out _, out _);
        }
        Assert.True(parsed > 0);
    }

    [Fact]
    public async Task Server_RandomAndMutatedDatagrams_KeepsServingLegitimateClient()
    {
        await using var server = await TestServer.StartAsync();
        using var legit = server.Client();
        using var peer = new TestPeer();
        Assert.True(legit.Allocate().IsSuccess);
        Assert.True(legit.ChannelBind(0x4000, peer.EndPoint).IsSuccess);
        using var attacker = server.Client();
        Assert.True(attacker.Allocate().IsSuccess);
        var random = new Random(8656);
        var templates = new[]
        {
            attacker.BuildRequest(StunMethod.Allocate, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24), true),
            attacker.BuildRequest(StunMethod.ChannelBind, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.ChannelNumber, 0x40010000), true),
            attacker.BuildRequest(StunMethod.CreatePermission, (ref StunMessageBuilder b) =>
                b.AddXorAddress(StunAttributeType.XorPeerAddress, StunTransportAddress.FromEndPoint(peer.EndPoint)), true),
            [0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4],
        };

        for (var i = 0; i < 5000; i++)
        {
            attacker.Socket.Send(Mutate(random, templates[i % templates.Length], i));
        }
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(server.TcpEndPoint);
            var stream = tcp.GetStream();
            for (var i = 0; i < 200; i++)
            {
                var bytes = Mutate(random, templates[i % templates.Length], i);
                try
                {
                    await stream.WriteAsync(bytes);
                }
                catch (IOException)
                {
                    break; // the server closed a connection that sent garbage
                }
            }
        }

        legit.SendChannelData(0x4000, [42]);
        Assert.Equal([42], (peer.Receive() ?? throw new TimeoutException()).Data);
        Assert.True(legit.Refresh(600).IsSuccess);
        using var newcomer = server.Client("bob", "bob-password");
        Assert.True(newcomer.Allocate().IsSuccess);
    }

    [Fact]
    public async Task Server_UnauthenticatedFlood_IsRateLimitedAndOtherClientServed()
    {
        await using var server = await TestServer.StartAsync(o => o.UnauthenticatedRatePerSecond = 50);
        using var flooder = server.Client();
        var request = flooder.BuildRequest(StunMethod.Allocate, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24), false);

        for (var i = 0; i < 2000; i++)
        {
            flooder.Socket.Send(request);
        }
        var answers = 0;
        while (flooder.Receive(300) is not null)
        {
            answers++;
        }
        using var legit = new TestTurnClient(server.UdpEndPoint, TestServer.User, TestServer.Password, TestServer.Realm, IPAddress.Parse("127.0.0.2"));

        Assert.InRange(answers, 1, 150);
        Assert.True(legit.Allocate().IsSuccess);
        Assert.Equal(1, server.Server.AllocationCount);
    }

    [Fact]
    public async Task Server_AllocationFlood_StopsAtQuotaAndOtherUserServed()
    {
        await using var server = await TestServer.StartAsync(o => o.UserQuota = 10);
        var flood = Enumerable.Range(0, 30).Select(_ => server.Client()).ToList();

        var codes = flood.Select(c => c.Allocate().ErrorCode).ToList();
        using var legit = server.Client("bob", "bob-password");

        Assert.Equal(10, codes.Count(c => c is null));
        Assert.Equal(20, codes.Count(c => c == StunErrorCode.AllocationQuotaReached));
        Assert.True(legit.Allocate().IsSuccess);
        flood.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Server_UnauthenticatedRequests_CreateNoAllocationState()
    {
        await using var server = await TestServer.StartAsync();
        var clients = Enumerable.Range(0, 20).Select(_ => server.Client()).ToList();

        foreach (var client in clients)
        {
            Assert.Equal(StunErrorCode.Unauthorized, client.Request(StunMethod.Allocate,
                (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24), authenticate: false).ErrorCode);
        }

        Assert.Equal(0, server.Server.AllocationCount);
        Assert.Equal(0, server.Server.Metrics.AllocationsCreated);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Responses_ErrorWithOddReason_PaddingIsZero()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        var response = client.Request(StunMethod.Allocate, authenticate: false);

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(response.Raw, out var message));
        foreach (var attribute in message.Attributes)
        {
            var padded = (attribute.Value.Length + 3) & ~3;
            var padding = response.Raw.AsSpan(attribute.Offset + 4 + attribute.Value.Length, padded - attribute.Value.Length);
            Assert.True(padding.IndexOfAnyExcept((byte)0) < 0, $"attribute 0x{attribute.Type:x4} has non-zero padding");
        }
    }

    [Theory]
    [InlineData("{0}{1}{Method}")]
    [InlineData("%s%n%x' OR '1'='1")]
    [InlineData("\u202e\r\nfake log line")]
    public async Task Allocate_HostileUsername_IsRefusedAndServerKeepsServing(string username)
    {
        await using var server = await TestServer.StartAsync();
        using var attacker = server.Client(username, "x");
        using var legit = server.Client();

        Assert.Equal(StunErrorCode.Unauthorized, attacker.Allocate().ErrorCode);
        Assert.True(legit.Allocate().IsSuccess);
    }

    /// <summary>Random bytes, truncations, bit flips, length-field edits or random appends of a template.</summary>
    internal static byte[] Mutate(Random random, byte[] template, int round)
    {
        switch (round % 5)
        {
            case 0:
                var noise = new byte[random.Next(0, 600)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return template[..random.Next(0, template.Length + 1)];
            case 2:
                var flipped = (byte[])template.Clone();
                for (var k = random.Next(1, 6); k > 0; k--)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }
                return flipped;
            case 3:
                var lengths = (byte[])template.Clone();
                var at = random.Next(0, Math.Max(1, lengths.Length - 1));
                lengths[at] = (byte)random.Next(256);
                lengths[Math.Min(at + 1, lengths.Length - 1)] = (byte)random.Next(256);
                return lengths;
            default:
                var tail = new byte[random.Next(1, 64)];
                random.NextBytes(tail);
                return [.. template, .. tail];
        }
    }
}
