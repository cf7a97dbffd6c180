using System.Buffers.Binary;
using System.Text;
using Ticker.PushHub.WebRtc.DataChannels;
using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.WebRtc.Tests.DataChannels;

/// <summary>Channel lifecycle over the in-memory link: opening, ids, close by RE-CONFIG, abort, limits.</summary>
[Trait("Tier", "Fast")]
public sealed class DataChannelLifecycleTests
{
    [Fact]
    public void Send_ServerToClientOnPeerOpenedChannel_Arrives()
    {
        var link = new LossyLink(seed: 41, loss: 0.1);
        var id = link.ConnectAndOpen("quotes", ordered: true, maxRetransmits: null);

        Assert.True(link.Server.Send(id, "hello"u8, binary: false, link.Now));
        Assert.True(link.Server.Send(id, [], binary: true, link.Now));

        Assert.True(link.RunUntil(() => link.ClientMessages.Count() == 2));
        Assert.Equal("hello", Encoding.UTF8.GetString(link.ClientMessages.First().Payload));
        var empty = link.ClientMessages.Last();
        Assert.True(empty.Binary);
        Assert.Empty(empty.Payload);
    }

    [Fact]
    public void Send_BeforeAck_GoesOrderedAndArrivesAfterOpen()
    {
        var link = new LossyLink(seed: 43, loss: 0.2, reorder: true);
        link.Client.Connect(link.Now);
        Assert.True(link.RunUntil(() => link.Client.IsEstablished && link.Server.IsEstablished));
        var dataFlags = new List<byte>();
        link.OnEmit = (toServer, packet) => dataFlags.AddRange(toServer
            ? Sctp.SctpPackets.Chunks(packet).Where(c => c.Type == ChunkType.Data).Select(c => c.Flags)
            : []);

        var id = link.Client.OpenChannel("quotes", ordered: false, maxRetransmits: 0, link.Now);
        Assert.True(link.Client.Send(id, "early"u8, binary: false, link.Now));
        link.Flush();

        Assert.All(dataFlags, f => Assert.Equal(0, f & DataChunk.FlagUnordered)); // OPEN and the early message both ordered
        Assert.True(link.RunUntil(() => link.ServerMessages.Any()) || link.Client.Counters.ChunksAbandoned > 0);
        var opened = link.ServerEvents.FindIndex(e => e is DataChannelEvent.ChannelOpened);
        Assert.True(opened >= 0);
        Assert.True(link.ServerEvents.FindIndex(e => e is DataChannelEvent.MessageReceived) is -1 or > 0);
        Assert.Equal(0, link.Server.Counters.MessagesDropped);
    }

    [Fact]
    public void AddNegotiatedChannel_BothSides_CarriesMessagesWithoutDcep()
    {
        var link = new LossyLink(seed: 44);
        link.Client.Connect(link.Now);
        Assert.True(link.RunUntil(() => link.Client.IsEstablished && link.Server.IsEstablished));
        Assert.True(link.Server.AddNegotiatedChannel(7, "quotes", ordered: false, maxRetransmits: 0, maxLifetimeMs: null));
        Assert.True(link.Client.AddNegotiatedChannel(7, "quotes", ordered: false, maxRetransmits: 0, maxLifetimeMs: null));
        var ppids = new List<uint>();
        link.OnEmit = (_, packet) => ppids.AddRange(Sctp.SctpPackets.Chunks(packet)
            .Where(c => c.Type == ChunkType.Data).Select(c => BinaryPrimitives.ReadUInt32BigEndian(c.Value.AsSpan(8))));

        Assert.True(link.Client.Send(7, "q"u8, binary: false, link.Now));

        Assert.True(link.RunUntil(() => link.ServerMessages.Any()));
        Assert.DoesNotContain(50u, ppids);
        Assert.Equal(new DataChannelEvent.ChannelOpened(7, "quotes", string.Empty, false, 0, null), link.ServerEvents.OfType<DataChannelEvent.ChannelOpened>().Single());
        Assert.False(link.Server.AddNegotiatedChannel(7, "again", ordered: true, maxRetransmits: null, maxLifetimeMs: null));
    }

    [Fact]
    public void OpenChannel_FromServer_UsesOddId()
    {
        var link = new LossyLink(seed: 42);
        link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);

        var id = link.Server.OpenChannel("b", ordered: true, maxRetransmits: null, link.Now);

        Assert.Equal(1, id % 2);
        Assert.True(link.RunUntil(() => link.ClientEvents.OfType<DataChannelEvent.ChannelOpened>().Any(o => o.Label == "b")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CloseChannel_EitherSide_ClosesBothViaReConfigAndFreesId(bool clientCloses)
    {
        var link = new LossyLink(seed: 51, loss: 0.1);
        var id = link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);
        var other = link.Client.OpenChannel("b", ordered: true, maxRetransmits: null, link.Now);
        Assert.True(link.RunUntil(() => link.ServerEvents.OfType<DataChannelEvent.ChannelOpened>().Count() == 2));

        (clientCloses ? link.Client : link.Server).CloseChannel(id, link.Now);

        Assert.True(link.RunUntil(() =>
            link.ClientEvents.Contains(new DataChannelEvent.ChannelClosed(id)) && link.ServerEvents.Contains(new DataChannelEvent.ChannelClosed(id))));
        Assert.False(link.Client.Send(id, "late"u8, binary: false, link.Now));

        // The other channel is untouched, and once the resets are confirmed the id is free again.
        Assert.True(link.Client.Send(other, "still here"u8, binary: false, link.Now));
        Assert.True(link.RunUntil(() => link.ServerMessages.Any(m => m.Id == other)));
        link.RunUntil(() => false, TimeSpan.FromSeconds(5)); // let the reset responses land
        Assert.Equal(id, link.Client.OpenChannel("again", ordered: true, maxRetransmits: null, link.Now));
        Assert.True(link.RunUntil(() => link.ServerEvents.OfType<DataChannelEvent.ChannelOpened>().Any(o => o.Label == "again")));
        Assert.True(link.Client.Send(id, "reborn"u8, binary: false, link.Now));
        Assert.True(link.RunUntil(() => link.ServerMessages.Any(m => m.Id == id && m.Payload.Length == 6)));
    }

    [Fact]
    public void OpenChannel_PeerReusesIdBeforeOurResetIsAnswered_NewChannelWorks()
    {
        var link = new LossyLink(seed: 52);
        var id = link.ConnectAndOpen("old", ordered: true, maxRetransmits: null);
        var dropped = 0;
        link.Drop = (toServer, packet) =>
        {
            // Lose the client's first answer to the hub's own reset request.
            var isResponse = toServer && Sctp.SctpPackets.Chunks(packet).Any(c => c.Type == ChunkType.ReConfig
                && BinaryPrimitives.ReadUInt16BigEndian(c.Value) == ParameterType.ReconfigurationResponse
                && c.Value.Length == 12);
            return isResponse && dropped++ == 0;
        };

        link.Client.CloseChannel(id, link.Now);
        Assert.True(link.RunUntil(() => link.ClientEvents.Contains(new DataChannelEvent.ChannelClosed(id)) && dropped > 0));
        link.RunUntil(() => false, TimeSpan.FromMilliseconds(30));
        var reopened = link.Client.OpenChannel("new", ordered: true, maxRetransmits: null, link.Now);
        Assert.Equal(id, reopened);

        Assert.True(link.RunUntil(() => link.ClientEvents.OfType<DataChannelEvent.ChannelOpened>().Count(o => o.Id == id) == 2));
        Assert.True(link.Server.Send(id, "from hub"u8, binary: false, link.Now));
        Assert.True(link.Client.Send(id, "from client"u8, binary: false, link.Now));
        Assert.True(link.RunUntil(() => link.ClientMessages.Any(m => m.Id == id) && link.ServerMessages.Any(m => m.Id == id)));
        Assert.Equal("new", link.ServerEvents.OfType<DataChannelEvent.ChannelOpened>().Last().Label);
    }

    [Fact]
    public void Abort_FromClient_ServerRaisesClosedAndStops()
    {
        var link = new LossyLink(seed: 61);
        link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);

        link.Client.Abort("pc.close()", link.Now);

        Assert.True(link.RunUntil(() => link.Server.IsClosed));
        var closed = Assert.IsType<DataChannelEvent.Closed>(link.ServerEvents[^1]);
        Assert.Contains("pc.close()", closed.Reason, StringComparison.Ordinal);
        Assert.True(link.Client.IsClosed);
        Assert.Null(link.Server.NextTimeout);
    }

    [Fact]
    public void Heartbeat_IsAnsweredWithSameInfo()
    {
        var link = new LossyLink(seed: 71);
        link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);
        byte[]? serverTag = null;
        link.OnEmit = (toServer, packet) => serverTag ??= toServer ? packet[4..8] : null;
        link.Client.Send(0, "x"u8, false, link.Now);
        link.Flush();
        var tag = BinaryPrimitives.ReadUInt32BigEndian(serverTag);
        byte[] info = [0x00, 0x01, 0x00, 0x08, 0xDE, 0xAD, 0xBE, 0xEF];
        var answers = new List<byte[]>();
        link.OnEmit = (toServer, packet) =>
        {
            if (!toServer)
            {
                answers.Add(packet);
            }
        };

        link.Inject(toServer: true, Sctp.SctpPackets.Build(tag, (ChunkType.Heartbeat, 0, info)));

        var ack = answers.SelectMany(Sctp.SctpPackets.Chunks).Single(c => c.Type == ChunkType.HeartbeatAck);
        Assert.Equal(info, ack.Value);
    }

    [Fact]
    public void Send_BeyondBufferLimit_ReturnsFalseAndBufferedAmountTracks()
    {
        var link = new LossyLink(seed: 81, options: new DataChannelOptions { MaxBufferedBytesPerChannel = 10_000 });
        var id = link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);

        Assert.True(link.Client.Send(id, new byte[6000], binary: true, link.Now));
        Assert.Equal(6000, link.Client.BufferedAmount(id));
        Assert.False(link.Client.Send(id, new byte[6000], binary: true, link.Now));

        Assert.True(link.RunUntil(() => link.Client.BufferedAmount(id) == 0));
        Assert.True(link.Client.Send(id, new byte[6000], binary: true, link.Now));
    }

    [Fact]
    public void Send_UnorderedUnreliableLargerThanOneChunk_ReturnsFalse()
    {
        var link = new LossyLink(seed: 82);
        var id = link.ConnectAndOpen("quotes", ordered: false, maxRetransmits: 0);

        Assert.False(link.Client.Send(id, new byte[link.Client.MaxUnfragmentedMessageBytes + 1], binary: true, link.Now));
        Assert.True(link.Client.Send(id, new byte[link.Client.MaxUnfragmentedMessageBytes], binary: true, link.Now));
        Assert.True(link.RunUntil(() => link.ServerMessages.Count() == 1));
        Assert.True(link.LargestPacket <= 1191);
    }

    [Fact]
    public void Send_LargerThanRemoteMaxMessage_ReturnsFalse()
    {
        var link = new LossyLink(seed: 83);
        var id = link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);

        Assert.False(link.Client.Send(id, new byte[65537], binary: true, link.Now));
    }

    [Fact]
    public void PeerGone_RetransmissionsExhausted_ClosesWithReason()
    {
        var link = new LossyLink(seed: 91);
        var id = link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);
        link.Loss = 1.0;

        link.Client.Send(id, "into the void"u8, binary: false, link.Now);

        Assert.True(link.RunUntil(() => link.Client.IsClosed, TimeSpan.FromHours(1)));
        var closed = Assert.IsType<DataChannelEvent.Closed>(link.ClientEvents[^1]);
        Assert.Contains("retransmissions", closed.Reason, StringComparison.Ordinal);
    }
}
