using System.Buffers.Binary;
using System.Text;
using Ticker.PushHub.WebRtc.DataChannels;
using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.WebRtc.Tests.DataChannels;

/// <summary>Two associations (client and hub) over a lossy in-memory link with a fake clock.</summary>
[Trait("Tier", "Fast")]
public sealed class DataChannelPairTests
{
    [Fact]
    public void ConnectAndOpen_ClientChannel_OpensOnBothSidesWithEvenId()
    {
        var link = new LossyLink(seed: 1);

        var id = link.ConnectAndOpen("quotes", ordered: false, maxRetransmits: 0);

        Assert.Equal(0, id % 2);
        Assert.Contains(link.ClientEvents, e => e is DataChannelEvent.Connected);
        Assert.Contains(link.ServerEvents, e => e is DataChannelEvent.Connected);
        var opened = link.ServerEvents.OfType<DataChannelEvent.ChannelOpened>().Single();
        Assert.Equal(new DataChannelEvent.ChannelOpened(id, "quotes", string.Empty, false, 0, null), opened);
        Assert.True(link.LargestPacket <= 1191);
    }

    [Theory]
    [InlineData(11, 0.0, 0.0, false)]
    [InlineData(12, 0.05, 0.02, true)]
    [InlineData(13, 0.20, 0.05, true)]
    public void Send_ReliableOrdered_AllArriveInOrderExactlyOnce(int seed, double loss, double duplicate, bool reorder)
    {
        var link = new LossyLink(seed);
        var id = link.ConnectAndOpen("control", ordered: true, maxRetransmits: null);
        link.Loss = loss;
        link.Duplicate = duplicate;
        link.Reorder = reorder;
        const int count = 300;

        var sent = 0;
        Assert.True(link.RunUntil(() =>
        {
            while (sent < count && link.Client.Send(id, Encoding.UTF8.GetBytes($"m{sent}"), binary: false, link.Now))
            {
                sent++;
            }

            return link.ServerMessages.Count() == count && link.Client.BufferedAmount(id) == 0;
        }));

        var received = link.ServerMessages.Select(m => Encoding.UTF8.GetString(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}"), received);
        Assert.All(link.ServerMessages, m => Assert.False(m.Binary));
        Assert.True(link.LargestPacket <= 1191, $"largest packet {link.LargestPacket}");
        Assert.Equal(0, link.Server.Counters.InternalErrors + link.Client.Counters.InternalErrors);
        Assert.Equal(loss > 0, link.Client.Counters.Retransmissions > 0);
    }

    [Theory]
    [InlineData(21, 0.05)]
    [InlineData(22, 0.20)]
    public void Send_UnorderedMaxRetransmitsZero_NoDuplicatesLossesSkippedReceiverKeepsGoing(int seed, double loss)
    {
        var link = new LossyLink(seed);
        var id = link.ConnectAndOpen("quotes", ordered: false, maxRetransmits: 0);
        link.Loss = loss;
        link.Duplicate = 0.05;
        link.Reorder = true;
        var tsnsToServer = new List<uint>();
        link.OnEmit = (toServer, packet) =>
        {
            if (!toServer)
            {
                foreach (var chunk in SctpPackets_Chunks(packet))
                {
                    if (chunk.Type == ChunkType.Sack)
                    {
                        tsnsToServer.Add(BinaryPrimitives.ReadUInt32BigEndian(chunk.Value));
                    }
                }
            }
        };

        // Quotes at 50 per second for 20 simulated seconds.
        const int count = 1000;
        for (var i = 0; i < count; i++)
        {
            var message = new byte[100];
            BinaryPrimitives.WriteInt32BigEndian(message, i);
            Assert.True(link.Client.Send(id, message, binary: true, link.Now));
            link.RunUntil(() => false, TimeSpan.FromMilliseconds(20));
        }

        link.Loss = 0;
        link.Duplicate = 0;
        Assert.True(link.RunUntil(() => link.Client.BufferedAmount(id) == 0));

        var numbers = link.ServerMessages.Select(m => BinaryPrimitives.ReadInt32BigEndian(m.Payload)).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.True(numbers.Count < count, "some were lost and not retransmitted");
        Assert.True(link.Client.Counters.ForwardTsnsSent > 0);
        Assert.True(link.Server.Counters.ForwardTsnsReceived > 0);
        // The receiver never stalled: most of the last hundred still arrived.
        Assert.True(numbers.Count(n => n >= count - 100) > 100 * (1 - (3 * loss)), "late messages arrive");
        Assert.Equal(0, link.Client.Counters.Retransmissions); // maxRetransmits 0: abandoned, never resent
        AssertCumulativeAckAdvances(tsnsToServer);
        Assert.True(link.LargestPacket <= 1191);

        // After the lossy phase the channel still carries messages.
        Assert.True(link.Client.Send(id, new byte[] { 1, 2, 3 }, binary: true, link.Now));
        Assert.True(link.RunUntil(() => link.ServerMessages.Last().Payload.Length == 3));
    }

    [Theory]
    [InlineData(23, 0, null)]
    [InlineData(24, null, 100)]
    public void Send_OrderedPartiallyReliableUnderLoss_InOrderNoDuplicatesAndKeepsGoing(int seed, int? maxRetransmits, int? maxLifetimeMs)
    {
        var link = new LossyLink(seed);
        link.Client.Connect(link.Now);
        Assert.True(link.RunUntil(() => link.Server.IsEstablished && link.Client.IsEstablished));
        var id = link.Client.OpenChannel("ordered-pr", ordered: true, maxRetransmits, maxLifetimeMs, link.Now);
        Assert.True(link.RunUntil(() => link.ClientEvents.OfType<DataChannelEvent.ChannelOpened>().Any()));
        Assert.Equal((maxRetransmits, maxLifetimeMs), link.ServerEvents.OfType<DataChannelEvent.ChannelOpened>().Select(o => (o.MaxRetransmits, o.MaxLifetimeMs)).Single());
        link.Loss = 0.15;
        link.Reorder = true;

        const int count = 600;
        for (var i = 0; i < count; i++)
        {
            var message = new byte[i % 3 == 0 ? 2500 : 60]; // some fragmented: abandoned whole, never half-delivered
            BinaryPrimitives.WriteInt32BigEndian(message, i);
            Assert.True(link.Client.Send(id, message, binary: true, link.Now), $"send {i}");
            link.RunUntil(() => false, TimeSpan.FromMilliseconds(20));
        }

        link.Loss = 0;
        Assert.True(link.RunUntil(() => link.Client.BufferedAmount(id) == 0));

        var numbers = link.ServerMessages.Select(m => BinaryPrimitives.ReadInt32BigEndian(m.Payload)).ToList();
        Assert.Equal(numbers.OrderBy(n => n), numbers); // ordered delivery survives the skips
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(link.ServerMessages, m => Assert.Equal(BinaryPrimitives.ReadInt32BigEndian(m.Payload) % 3 == 0 ? 2500 : 60, m.Payload.Length));
        Assert.True(link.Server.Counters.ForwardTsnsReceived > 0);
        Assert.True(numbers.Count(n => n >= count - 100) > 50, "late messages arrive");
        Assert.True(link.LargestPacket <= 1191);
    }

    private static void AssertCumulativeAckAdvances(List<uint> cumulativeAcks)
    {
        Assert.NotEmpty(cumulativeAcks);
        var last = cumulativeAcks[^1];
        var first = cumulativeAcks[0];
        Assert.True((int)(last - first) >= 900, $"cumulative TSN moved {(int)(last - first)}");
    }

    private static List<(byte Type, byte Flags, byte[] Value)> SctpPackets_Chunks(byte[] packet) => Sctp.SctpPackets.Chunks(packet);

    [Fact]
    public void Send_LargeReliableMessagesUnderLoss_FragmentAndReassemble()
    {
        var link = new LossyLink(seed: 31, loss: 0.05, duplicate: 0.02, reorder: true, options: new DataChannelOptions { RemoteMaxMessageBytes = 262144, MaxBufferedBytesPerChannel = 1 << 20 });
        var id = link.ConnectAndOpen("snapshot", ordered: true, maxRetransmits: null);
        var random = new Random(5);
        var messages = Enumerable.Range(0, 3).Select(_ =>
        {
            var m = new byte[100 * 1024];
            random.NextBytes(m);
            return m;
        }).ToList();

        foreach (var message in messages)
        {
            Assert.True(link.Client.Send(id, message, binary: true, link.Now));
        }

        Assert.True(link.RunUntil(() => link.ServerMessages.Count() == 3));

        Assert.Equal(messages, link.ServerMessages.Select(m => m.Payload));
        Assert.True(link.LargestPacket <= 1191, $"largest packet {link.LargestPacket}");
        Assert.True(link.PacketsEmitted > 3 * 100 * 1024 / 1191);
    }

    [Fact]
    public void Send_SmallerMaxPacketBytes_EveryPacketWithinIt()
    {
        var options = new DataChannelOptions { MaxPacketBytes = 600 };
        var link = new LossyLink(seed: 32, loss: 0.1, reorder: true, options: options);
        var reliable = link.ConnectAndOpen("r", ordered: true, maxRetransmits: null);
        var quotes = link.Client.OpenChannel("q", ordered: false, maxRetransmits: 0, link.Now);
        Assert.True(link.RunUntil(() => link.ClientEvents.OfType<DataChannelEvent.ChannelOpened>().Count() == 2));

        Assert.True(link.Client.Send(reliable, new byte[20_000], binary: true, link.Now));
        Assert.False(link.Client.Send(quotes, new byte[600], binary: true, link.Now));
        for (var i = 0; i < 50; i++)
        {
            Assert.True(link.Client.Send(quotes, new byte[link.Client.MaxUnfragmentedMessageBytes], binary: true, link.Now));
            Assert.True(link.Server.Send(reliable, new byte[100], binary: true, link.Now));
        }

        Assert.True(link.RunUntil(() => link.ServerMessages.Any(m => m.Payload.Length == 20_000) && link.ClientMessages.Count() == 50));
        Assert.InRange(link.LargestPacket, 500, 600);
    }

    [Fact]
    public void Send_QueueOnOneChannel_DoesNotHoldBackAnother()
    {
        var link = new LossyLink(seed: 33, options: new DataChannelOptions { MaxBufferedBytesPerChannel = 1 << 20 });
        var snapshots = link.ConnectAndOpen("snapshots", ordered: true, maxRetransmits: null);
        var quotes = link.Client.OpenChannel("quotes", ordered: false, maxRetransmits: 0, link.Now);
        Assert.True(link.RunUntil(() => link.ClientEvents.OfType<DataChannelEvent.ChannelOpened>().Count() == 2));

        for (var i = 0; i < 60; i++)
        {
            Assert.True(link.Client.Send(snapshots, new byte[3000], binary: true, link.Now)); // three chunks each
        }

        Assert.True(link.Client.Send(quotes, "quote"u8, binary: false, link.Now));
        Assert.True(link.RunUntil(() => link.ServerMessages.Count() == 61));

        // Round-robin by message: the quote goes out after at most one snapshot, not after all sixty.
        var order = link.ServerMessages.Select(m => m.Id).ToList();
        Assert.InRange(order.IndexOf(quotes), 0, 1);
        Assert.All(link.ServerMessages.Where(m => m.Id == snapshots), m => Assert.Equal(3000, m.Payload.Length));
    }
}
