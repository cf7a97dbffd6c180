using System.Buffers.Binary;
using Ticker.PushHub.WebRtc.DataChannels;

namespace Ticker.WebRtc.Tests.DataChannels;

/// <summary>Both directions, several channels of different reliability, one bad link, many seeds.</summary>
public sealed class MixedTrafficTests
{
    [Theory]
    [InlineData(101)]
    [InlineData(102)]
    [InlineData(103)]
    [InlineData(104)]
    public void BothDirectionsMixedChannels_ReliableExactUnreliableNoDuplicates(int seed)
    {
        var link = new LossyLink(seed, options: new DataChannelOptions { MaxBufferedBytesPerChannel = 4 << 20, RemoteMaxMessageBytes = 262144 });
        var reliable = link.ConnectAndOpen("control", ordered: true, maxRetransmits: null);
        var quotes = link.Server.OpenChannel("quotes", ordered: false, maxRetransmits: 0, link.Now);
        var unorderedReliable = link.Client.OpenChannel("bulk", ordered: false, maxRetransmits: null, link.Now);
        Assert.True(link.RunUntil(() => link.ClientEvents.OfType<DataChannelEvent.ChannelOpened>().Count() == 3
            && link.ServerEvents.OfType<DataChannelEvent.ChannelOpened>().Count() == 3));
        link.Loss = 0.15;
        link.Duplicate = 0.05;
        link.Reorder = true;
        var random = new Random(seed);
        var sentReliable = new List<byte[]>();
        var sentBulk = new HashSet<int>();

        for (var i = 0; i < 200; i++)
        {
            var size = random.Next(0, 5) == 0 ? random.Next(2000, 30000) : random.Next(4, 300);
            var message = new byte[size];
            random.NextBytes(message);
            BinaryPrimitives.WriteInt32BigEndian(message, i);
            Assert.True(link.Client.Send(reliable, message, binary: true, link.Now));
            sentReliable.Add(message);

            var quote = new byte[80];
            BinaryPrimitives.WriteInt32BigEndian(quote, i);
            Assert.True(link.Server.Send(quotes, quote, binary: true, link.Now));

            if (i % 4 == 0)
            {
                var bulk = new byte[4000];
                BinaryPrimitives.WriteInt32BigEndian(bulk, i);
                Assert.True(link.Client.Send(unorderedReliable, bulk, binary: true, link.Now));
                sentBulk.Add(i);
            }

            link.RunUntil(() => false, TimeSpan.FromMilliseconds(random.Next(1, 30)));
        }

        link.Loss = 0;
        link.Duplicate = 0;
        Assert.True(link.RunUntil(() => link.Client.BufferedAmount(reliable) == 0 && link.Client.BufferedAmount(unorderedReliable) == 0
            && link.Server.BufferedAmount(quotes) == 0));
        link.RunUntil(() => false, TimeSpan.FromSeconds(2));

        Assert.Equal(sentReliable, link.ServerMessages.Where(m => m.Id == reliable).Select(m => m.Payload));
        var bulkReceived = link.ServerMessages.Where(m => m.Id == unorderedReliable).Select(m => BinaryPrimitives.ReadInt32BigEndian(m.Payload)).ToList();
        Assert.Equal(sentBulk.Order(), bulkReceived.Order());
        var quotesReceived = link.ClientMessages.Where(m => m.Id == quotes).Select(m => BinaryPrimitives.ReadInt32BigEndian(m.Payload)).ToList();
        Assert.Equal(quotesReceived.Count, quotesReceived.Distinct().Count());
        Assert.InRange(quotesReceived.Count, 100, 200);
        Assert.True(link.LargestPacket <= 1191, $"largest packet {link.LargestPacket}");
        Assert.Equal(0, link.Client.Counters.InternalErrors + link.Server.Counters.InternalErrors);
        Assert.False(link.Client.IsClosed || link.Server.IsClosed);
    }
}
