using Ticker.PushHub.WebRtc.DataChannels;
using Ticker.PushHub.WebRtc.Sctp;
using Ticker.WebRtc.Tests.DataChannels;

namespace Ticker.WebRtc.Tests.Sctp;

/// <summary>
/// RFC 7053 SACK-IMMEDIATELY: the packet that fills the congestion window asks for its SACK at once,
/// so a sender whose window is full (lost chunks a maxRetransmits-0 channel will only abandon among
/// them) does not sit out the peer's 200 ms delayed-SACK timer; and our receiver honours the I bit.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ImmediateSackTests
{
    [Fact]
    public void Send_PacketThatFillsTheWindow_CarriesTheIBitAndOnlyThatOne()
    {
        var link = new LossyLink(seed: 7, options: new DataChannelOptions { MaxBufferedBytesPerChannel = 1 << 20 });
        var id = link.ConnectAndOpen("bulk", ordered: true, maxRetransmits: null);
        link.RunUntil(() => link.Server.NextTimeout is null && link.Client.NextTimeout is null);
        Assert.True(link.Client.Send(id, new byte[60_000], binary: true, link.Now));

        var packets = new List<byte[]>();
        while (link.Client.TryPollTransmit(out var packet))
        {
            packets.Add(packet);
        }

        var dataFlags = packets.Select(p => SctpPackets.Chunks(p).Where(c => c.Type == ChunkType.Data).Select(c => c.Flags).ToList()).ToList();
        Assert.True(dataFlags.Count > 1);
        Assert.All(dataFlags[..^1].SelectMany(f => f), flags => Assert.Equal(0, flags & DataChunk.FlagImmediate));
        Assert.NotEqual(0, dataFlags[^1][^1] & DataChunk.FlagImmediate);
        Assert.Equal(1, link.Client.Counters.ImmediateSacksRequested);
    }

    [Fact]
    public void Send_WindowNotFull_NoIBit()
    {
        var link = new LossyLink(seed: 8);
        var id = link.ConnectAndOpen("quotes", ordered: false, maxRetransmits: 0);
        link.RunUntil(() => link.Server.NextTimeout is null && link.Client.NextTimeout is null);
        Assert.True(link.Client.Send(id, new byte[200], binary: true, link.Now));

        Assert.True(link.Client.TryPollTransmit(out var packet));

        Assert.Equal(0, SctpPackets.Chunks(packet).Single(c => c.Type == ChunkType.Data).Flags & DataChunk.FlagImmediate);
    }

    [Fact]
    public void Receive_OnePacketWithIBit_SacksAtOnceInsteadOfDelaying()
    {
        var link = new LossyLink(seed: 9);
        var id = link.ConnectAndOpen("quotes", ordered: false, maxRetransmits: 0);
        link.RunUntil(() => link.Server.NextTimeout is null && link.Client.NextTimeout is null);
        Assert.True(link.Client.Send(id, "one"u8, binary: false, link.Now));
        Assert.True(link.Client.TryPollTransmit(out var packet));
        var chunks = SctpPackets.Chunks(packet);
        var data = chunks.Single(c => c.Type == ChunkType.Data);
        var flagged = SctpPackets.Build(SctpPackets.Tag(packet), (data.Type, (byte)(data.Flags | DataChunk.FlagImmediate), data.Value));

        link.Server.HandlePacket(flagged, link.Now);

        Assert.True(link.Server.TryPollTransmit(out var sack), "no SACK at once");
        Assert.Equal(ChunkType.Sack, Assert.Single(SctpPackets.Chunks(sack)).Type);
        Assert.Null(link.Server.NextTimeout); // no delayed-SACK timer left running
    }
}
