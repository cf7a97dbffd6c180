using Ticker.PushHub.WebRtc.DataChannels;

namespace Ticker.WebRtc.Tests.DataChannels;

/// <summary>The quote path (Send, TryPollTransmit, SACK handling) allocates little per message.</summary>
[Trait("Tier", "Fast")]
public sealed class AllocationTests
{
    [Fact]
    public void QuoteSendPath_AllocatesLittlePerMessage()
    {
        var link = new LossyLink(seed: 1);
        var id = link.ConnectAndOpen("quotes", ordered: false, maxRetransmits: 0);
        var quote = new byte[120];
        Warm(link, id, quote, 200);

        var before = GC.GetAllocatedBytesForCurrentThread();
        const int count = 2000;
        var unavoidable = 0L;
        for (var i = 0; i < count; i++)
        {
            Assert.True(link.Server.Send(id, quote, binary: true, link.Now));
            unavoidable += Pump(link);
        }

        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before - unavoidable) / count;

        // Left: the payload copy and two small bookkeeping objects (measured ~300 bytes); packets and
        // received events are the API's own byte[]s and are not counted.
        Assert.True(perMessage < 600, $"{perMessage} bytes per message besides packets and events");
    }

    /// <summary>Hub packets to the client, its SACKs back, straight through (no link bookkeeping).</summary>
    private static long Pump(LossyLink link)
    {
        long bytes = 0;
        while (link.Server.TryPollTransmit(out var packet))
        {
            bytes += packet.Length + 24;
            link.Client.HandlePacket(packet, link.Now);
        }

        while (link.Client.TryPollEvent(out var e))
        {
            bytes += e is DataChannelEvent.MessageReceived m ? m.Payload.Length + 24 + 40 : 0;
        }

        // Every second DATA packet draws a SACK (RFC 4960 §6.2), so the hub processes SACKs throughout.
        while (link.Client.TryPollTransmit(out var sack))
        {
            bytes += sack.Length + 24;
            link.Server.HandlePacket(sack, link.Now);
        }

        return bytes;
    }

    private static void Warm(LossyLink link, ushort id, byte[] quote, int count)
    {
        for (var i = 0; i < count; i++)
        {
            link.Server.Send(id, quote, binary: true, link.Now);
        }

        link.RunUntil(() => link.Server.BufferedAmount(id) == 0);
    }
}
