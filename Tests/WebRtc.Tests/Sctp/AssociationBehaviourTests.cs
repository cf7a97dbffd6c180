using System.Buffers.Binary;
using Ticker.PushHub.WebRtc.DataChannels;
using Ticker.PushHub.WebRtc.Sctp;
using Ticker.WebRtc.Tests.DataChannels;

namespace Ticker.WebRtc.Tests.Sctp;

/// <summary>Single rules of RFC 4960 / 3758 observed on the wire, packet by packet.</summary>
[Trait("Tier", "Fast")]
public sealed class AssociationBehaviourTests
{
    [Fact]
    public void Receive_OnePacket_SackIsDelayedUntilTimer()
    {
        var (link, id) = Established();
        Assert.True(link.Client.Send(id, "one"u8, binary: false, link.Now));
        Assert.True(link.Client.TryPollTransmit(out var data));

        link.Server.HandlePacket(data, link.Now);

        Assert.False(link.Server.TryPollTransmit(out _));
        Assert.Equal(link.Now + SctpAssociation.DelayedSackTime, link.Server.NextTimeout);
        link.Server.HandleTimeout(link.Now + SctpAssociation.DelayedSackTime);
        Assert.True(link.Server.TryPollTransmit(out var sack));
        Assert.Equal(ChunkType.Sack, Assert.Single(SctpPackets.Chunks(sack)).Type);
    }

    [Fact]
    public void Receive_SecondPacket_SacksImmediately()
    {
        var (link, id) = Established();
        var packets = SendSeparately(link, id, 2);

        link.Server.HandlePacket(packets[0], link.Now);
        Assert.False(link.Server.TryPollTransmit(out _));
        link.Server.HandlePacket(packets[1], link.Now);

        Assert.True(link.Server.TryPollTransmit(out var sack));
        var chunk = Assert.Single(SctpPackets.Chunks(sack));
        Assert.True(SackChunk.TryParse(chunk.Value, out var parsed));
        Assert.Equal(0, parsed.GapCount);
    }

    [Fact]
    public void Receive_OutOfOrder_SacksImmediatelyWithGapBlock()
    {
        var (link, id) = Established();
        var packets = SendSeparately(link, id, 3);

        link.Server.HandlePacket(packets[2], link.Now);

        Assert.True(link.Server.TryPollTransmit(out var sack));
        Assert.True(SackChunk.TryParse(SctpPackets.Chunks(sack)[0].Value, out var parsed));
        Assert.Equal(1, parsed.GapCount);
        Assert.Equal((3, 3), (parsed.GapStart(0), parsed.GapEnd(0)));
    }

    [Fact]
    public void Receive_DuplicateTsn_IsReportedInSack()
    {
        var (link, id) = Established();
        var packets = SendSeparately(link, id, 1);
        link.Server.HandlePacket(packets[0], link.Now);
        link.Server.HandleTimeout(link.Now + SctpAssociation.DelayedSackTime);
        Assert.True(link.Server.TryPollTransmit(out _));

        link.Server.HandlePacket(packets[0], link.Now);

        Assert.True(link.Server.TryPollTransmit(out var sack));
        var value = SctpPackets.Chunks(sack)[0].Value;
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(10)));
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(value), BinaryPrimitives.ReadUInt32BigEndian(value.AsSpan(12)));
        link.Flush();
        Assert.Single(link.ServerMessages, m => m.Payload.Length == 1); // delivered once
    }

    [Fact]
    public void Send_BeforeAnySack_FirstFlightLimitedToInitialCwnd()
    {
        var link = new LossyLink(seed: 5, options: new DataChannelOptions { MaxBufferedBytesPerChannel = 1 << 20 });
        var id = link.ConnectAndOpen("bulk", ordered: true, maxRetransmits: null);
        Assert.True(link.Client.Send(id, new byte[60_000], binary: true, link.Now));

        var dataBytes = 0;
        while (link.Client.TryPollTransmit(out var packet))
        {
            Assert.True(packet.Length <= 1191);
            dataBytes += SctpPackets.Chunks(packet).Where(c => c.Type == ChunkType.Data).Sum(c => c.Value.Length - DataChunk.HeaderLength);
        }

        // RFC 4960 §7.2.1: initial cwnd = min(4·MTU, max(2·MTU, 4380)) = 4380; one more chunk may start below it.
        Assert.InRange(dataBytes, 4380, 4380 + 1191);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 4)]
    public void Send_PartiallyReliableIntoTotalLoss_TransmittedOncePlusMaxRetransmitsThenForwardTsn(int maxRetransmits, int expectedTransmissions)
    {
        var link = new LossyLink(seed: 6);
        var id = link.ConnectAndOpen("pr", ordered: false, maxRetransmits);
        var transmissions = 0;
        var forwardTsns = 0;
        link.OnEmit = (toServer, packet) =>
        {
            if (toServer)
            {
                var chunks = SctpPackets.Chunks(packet);
                transmissions += chunks.Count(c => c.Type == ChunkType.Data);
                forwardTsns += chunks.Count(c => c.Type == ChunkType.ForwardTsn);
            }
        };
        link.Loss = 1.0;

        Assert.True(link.Client.Send(id, "lost"u8, binary: false, link.Now));
        Assert.True(link.RunUntil(() => forwardTsns > 0, TimeSpan.FromMinutes(5)));

        Assert.Equal(expectedTransmissions, transmissions);
        link.Loss = 0;
        Assert.True(link.RunUntil(() => link.Client.BufferedAmount(id) == 0));
        Assert.Empty(link.ServerMessages);
        Assert.True(link.Client.Send(id, "next"u8, binary: false, link.Now));
        Assert.True(link.RunUntil(() => link.ServerMessages.Any()));
    }

    [Fact]
    public void HandlePacket_Shutdown_AnswersShutdownAckAndCloses()
    {
        var (link, _) = Established();
        var answers = new List<byte>();
        link.OnEmit = (toServer, packet) => answers.AddRange(toServer ? [] : SctpPackets.Chunks(packet).Select(c => c.Type));

        link.Inject(toServer: true, SctpPackets.Build(link.TagToServer, (ChunkType.Shutdown, 0, SctpPackets.BigEndian32(0))));

        Assert.Contains(ChunkType.ShutdownAck, answers);
        Assert.True(link.Server.IsClosed);
        Assert.IsType<DataChannelEvent.Closed>(link.ServerEvents[^1]);
    }

    [Fact]
    public void Abort_FromServer_ClientSeesClosedWithReason()
    {
        var (link, _) = Established();

        link.Server.Abort("hub shutting down", link.Now);

        Assert.True(link.RunUntil(() => link.Client.IsClosed));
        Assert.Equal("peer aborted: hub shutting down", Assert.IsType<DataChannelEvent.Closed>(link.ClientEvents[^1]).Reason);
        Assert.False(link.Server.TryPollTransmit(out _));
    }

    [Fact]
    public void PeerResetsStream_AnswerCarriesSuccessAndOwnResetOfThatStream()
    {
        var (link, id) = Established();
        var reconfigs = new List<byte[]>();
        link.OnEmit = (toServer, packet) =>
        {
            if (!toServer)
            {
                reconfigs.AddRange(SctpPackets.Chunks(packet).Where(c => c.Type == ChunkType.ReConfig).Select(c => c.Value));
            }
        };

        link.Client.CloseChannel(id, link.Now);
        Assert.True(link.RunUntil(() => link.ServerEvents.Contains(new DataChannelEvent.ChannelClosed(id))));
        link.Flush();

        // RFC 6525 §3.1 combination: Re-configuration Response (16, success) then Outgoing SSN Reset Request (13).
        var answer = reconfigs[0];
        Assert.Equal(ParameterType.ReconfigurationResponse, BinaryPrimitives.ReadUInt16BigEndian(answer));
        Assert.Equal(ReConfigParameter.ResultSuccess, BinaryPrimitives.ReadUInt32BigEndian(answer.AsSpan(8)));
        Assert.Equal(ParameterType.OutgoingSsnResetRequest, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(12)));
        Assert.Equal(18, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(14)));
        Assert.Equal(id, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(28)));
    }

    [Fact]
    public void CloseChannel_BeforeResponse_IdIsNotReused()
    {
        var (link, id) = Established();

        link.Client.CloseChannel(id, link.Now);
        var reopened = link.Client.OpenChannel("b", ordered: true, maxRetransmits: null, link.Now);

        Assert.NotEqual(id, reopened);
        Assert.False(link.Client.Send(id, "closing"u8, binary: false, link.Now));
        Assert.True(link.Client.Send(reopened, "fresh"u8, binary: false, link.Now));
    }

    private static List<byte[]> SendSeparately(LossyLink link, ushort id, int count)
    {
        var packets = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            Assert.True(link.Client.Send(id, [(byte)i], binary: true, link.Now));
            Assert.True(link.Client.TryPollTransmit(out var packet));
            packets.Add(packet);
        }

        return packets;
    }

    private static (LossyLink Link, ushort Id) Established()
    {
        var link = new LossyLink(seed: 4);
        var id = link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);
        link.RunUntil(() => link.Server.NextTimeout is null && link.Client.NextTimeout is null);
        return (link, id);
    }
}
