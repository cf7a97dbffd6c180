using System.Buffers.Binary;
using Ticker.PushHub.WebRtc.DataChannels;
using Ticker.PushHub.WebRtc.Sctp;
using Ticker.WebRtc.Tests.DataChannels;

namespace Ticker.WebRtc.Tests.Sctp;

/// <summary>Whatever arrives, HandlePacket never throws and the existing channel keeps working.</summary>
[Trait("Tier", "Fast")]
public sealed class HostileInputTests
{
    [Fact]
    public void HandlePacket_RandomGarbage_DroppedAndChannelStillWorks()
    {
        var (link, id) = Established();
        var random = new Random(7);

        for (var i = 0; i < 3000; i++)
        {
            var garbage = new byte[random.Next(0, 1300)];
            random.NextBytes(garbage);
            if (i % 2 == 0 && garbage.Length >= 12)
            {
                // Half of them with a right tag and checksum, so they reach the chunk parser.
                BinaryPrimitives.WriteUInt16BigEndian(garbage, 5000);
                BinaryPrimitives.WriteUInt16BigEndian(garbage.AsSpan(2), 5000);
                BinaryPrimitives.WriteUInt32BigEndian(garbage.AsSpan(4), link.TagToServer);
                Crc32c.StampPacket(garbage);
            }

            link.Server.HandlePacket(garbage, link.Now);
        }

        AssertStillWorks(link, id);
    }

    [Fact]
    public void HandlePacket_TruncatedAtEveryOffset_NeverThrows()
    {
        var (link, id) = Established();
        Assert.True(link.Client.Send(id, new byte[3000], binary: true, link.Now));
        var captured = new List<byte[]>();
        link.OnEmit = (toServer, packet) => captured.Add(packet);
        link.RunUntil(() => link.ServerMessages.Any());
        link.OnEmit = null;
        captured.Add(SctpPackets.ChromiumInit());

        foreach (var packet in captured)
        {
            for (var length = 0; length < packet.Length; length++)
            {
                var cut = packet[..length];
                link.Server.HandlePacket(cut, link.Now);
                link.Client.HandlePacket(cut, link.Now);
                if (length >= 12)
                {
                    Crc32c.StampPacket(cut);
                    link.Server.HandlePacket(cut, link.Now);
                    link.Client.HandlePacket(cut, link.Now);
                }
            }
        }

        AssertStillWorks(link, id);
    }

    [Fact]
    public void HandlePacket_WrongChecksum_IsDroppedAndCounted()
    {
        var (link, id) = Established();
        var before = link.ServerMessages.Count();
        link.Client.Send(id, "x"u8, binary: false, link.Now);
        var packets = new List<byte[]>();
        while (link.Client.TryPollTransmit(out var p))
        {
            packets.Add(p);
        }

        var packet = packets.Single();
        packet[8] ^= 0xFF;
        link.Server.HandlePacket(packet, link.Now);
        link.Flush();

        Assert.Equal(1, link.Server.Counters.BadChecksums);
        Assert.Equal(before, link.ServerMessages.Count());
        AssertStillWorks(link, id); // the client retransmits the lost one
    }

    [Fact]
    public void HandlePacket_WrongVerificationTag_IsDropped()
    {
        var (link, _) = Established();
        byte[] info = [0, 1, 0, 8, 1, 2, 3, 4];
        var answered = 0;
        link.OnEmit = (toServer, _) => answered += toServer ? 0 : 1;

        link.Inject(toServer: true, SctpPackets.Build(link.TagToServer + 1, (ChunkType.Heartbeat, 0, info)));
        link.Inject(toServer: true, SctpPackets.Build(link.TagToServer, (ChunkType.Abort, 1, []))); // T bit with our own tag

        Assert.Equal(0, answered);
        Assert.Equal(2, link.Server.Counters.BadVerificationTags);
        Assert.False(link.Server.IsClosed);
    }

    [Theory]
    [InlineData(0x3F, false, false)] // 00: stop, discard, no report
    [InlineData(0x7F, false, true)] // 01: stop, discard, report
    [InlineData(0xBF, true, false)] // 10: skip, continue
    [InlineData(0xFF, true, true)] // 11: skip, continue, report
    public void HandlePacket_UnknownChunkType_FollowsTopTwoBits(byte type, bool restProcessed, bool reported)
    {
        var (link, id) = Established();
        var answers = new List<(byte Type, byte Flags, byte[] Value)>();
        link.OnEmit = (toServer, packet) =>
        {
            if (!toServer)
            {
                answers.AddRange(SctpPackets.Chunks(packet));
            }
        };

        link.Inject(toServer: true, SctpPackets.Build(link.TagToServer, (type, 0, [1, 2, 3]), (ChunkType.Heartbeat, 0, [0, 1, 0, 8, 9, 9, 9, 9])));

        Assert.Equal(restProcessed, answers.Any(c => c.Type == ChunkType.HeartbeatAck));
        var error = answers.Where(c => c.Type == ChunkType.Error).ToList();
        Assert.Equal(reported, error.Count == 1);
        if (reported)
        {
            Assert.Equal(ErrorCause.UnrecognizedChunkType, BinaryPrimitives.ReadUInt16BigEndian(error[0].Value));
            Assert.Equal(type, error[0].Value[4]);
        }

        Assert.Equal(1, link.Server.Counters.UnknownChunks);
        link.OnEmit = null;
        AssertStillWorks(link, id);
    }

    [Fact]
    public void HandlePacket_LyingLengths_AreDroppedWithoutEffect()
    {
        var (link, id) = Established();
        var tag = link.TagToServer;
        var hostile = new List<byte[]>
        {
            LieAboutChunkLength(SctpPackets.Build(tag, (ChunkType.Heartbeat, 0, [0, 1, 0, 8, 1, 1, 1, 1])), 400), // longer than packet
            LieAboutChunkLength(SctpPackets.Build(tag, (ChunkType.Heartbeat, 0, [0, 1, 0, 8, 1, 1, 1, 1])), 3), // shorter than header
            LieAboutChunkLength(SctpPackets.Build(tag, (ChunkType.Heartbeat, 0, [0, 1, 0, 8, 1, 1, 1, 1])), 0), // zero-length chunk
            SctpPackets.Build(tag, (ChunkType.Sack, 0, [0, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])), // counts lie
            SctpPackets.Build(tag, (ChunkType.Sack, 0, [.. SctpPackets.BigEndian32(0x7FFFFFFF), 0, 1, 0, 0, 0, 1, 0, 0, 0, 5, 0, 1])), // acks unsent TSNs, gap start > end
            SctpPackets.Build(tag, (ChunkType.Data, 3, [0, 0, 0, 1, 0, 0])), // shorter than the DATA header
            SctpPackets.Build(tag, (ChunkType.ForwardTsn, 0, [0, 0, 0])), // not a multiple of 4
            SctpPackets.Build(tag, (ChunkType.ForwardTsn, 0, [.. SctpPackets.BigEndian32(0x80000000)])), // far outside the window
            SctpPackets.Build(tag, (ChunkType.ReConfig, 0, [0, 13, 0x40, 0, 0, 0, 0, 0])), // parameter longer than chunk
            SctpPackets.Build(tag, (ChunkType.ReConfig, 0, [0, 13, 0, 2])), // parameter shorter than header
            SctpPackets.Build(tag, (ChunkType.ReConfig, 0, [0, 16, 0, 12, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1])), // response to nothing
            SctpPackets.Build(tag, (ChunkType.CookieEcho, 0, [1, 2, 3])), // garbage cookie while established
            SctpPackets.Build(0, (ChunkType.Init, 0, [0, 0, 0, 0])), // truncated INIT
            SctpPackets.Build(0, (ChunkType.Init, 0, [.. new byte[16], 0x80, 0x01, 0xFF, 0xFF])), // INIT tag 0, lying parameter
        };

        foreach (var packet in hostile)
        {
            link.Server.HandlePacket(packet, link.Now);
        }

        Assert.Equal(0, link.Server.Counters.InternalErrors);
        Assert.False(link.Server.IsClosed);
        AssertStillWorks(link, id);
    }

    [Fact]
    public void HandlePacket_HeartbeatTooBigToEcho_IsDroppedAndLaterOnesAnswered()
    {
        var (link, id) = Established();
        var answers = new List<byte[]>();
        link.OnEmit = (toServer, packet) =>
        {
            if (!toServer)
            {
                answers.Add(packet);
            }
        };
        byte[] big = [0, 1, 0x05, 0x18, .. new byte[1300]];
        byte[] small = [0, 1, 0, 8, 4, 3, 2, 1];

        link.Inject(toServer: true, SctpPackets.Build(link.TagToServer, (ChunkType.Heartbeat, 0, big)));
        link.Inject(toServer: true, SctpPackets.Build(link.TagToServer, (ChunkType.Heartbeat, 0, small)));

        var acks = answers.SelectMany(SctpPackets.Chunks).Where(c => c.Type == ChunkType.HeartbeatAck).ToList();
        Assert.Equal(small, Assert.Single(acks).Value);
        Assert.All(answers, a => Assert.True(a.Length <= 1191));
        link.OnEmit = null;
        AssertStillWorks(link, id);
    }

    [Fact]
    public void HandlePacket_DataBeforeOpenAndMalformedOpen_AffectOnlyThatStream()
    {
        var (link, id) = Established();
        // The client puts raw messages on stream 8 with no channel, then a broken OPEN there.
        Assert.True(SendRaw(link, stream: 8, ppid: 51, "before open"u8.ToArray()));
        Assert.True(SendRaw(link, stream: 8, ppid: 50, [0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0]));
        Assert.True(SendRaw(link, stream: 8, ppid: 52, [1]));
        link.RunUntil(() => link.Server.Counters.MessagesDropped >= 2);

        Assert.True(link.Server.Counters.MessagesDropped >= 2);
        Assert.DoesNotContain(link.ServerEvents, e => e is DataChannelEvent.ChannelOpened { Id: 8 });
        Assert.DoesNotContain(link.ServerMessages, m => m.Id == 8);
        AssertStillWorks(link, id);
    }

    [Fact]
    public void HandlePacket_MessageBeyondLocalMaxMessageSize_AbortsAssociation()
    {
        var link = new LossyLink(seed: 3, options: new DataChannelOptions { LocalMaxMessageBytes = 4096, RemoteMaxMessageBytes = 65536 });
        var id = link.ConnectAndOpen("a", ordered: true, maxRetransmits: null);

        Assert.True(link.Client.Send(id, new byte[10_000], binary: true, link.Now));

        Assert.True(link.RunUntil(() => link.Server.IsClosed && link.Client.IsClosed));
        Assert.Contains("max-message-size", Assert.IsType<DataChannelEvent.Closed>(link.ServerEvents[^1]).Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(link.ServerMessages, m => m.Payload.Length > 4096);
    }

    private static bool SendRaw(LossyLink link, ushort stream, uint ppid, byte[] payload)
    {
        // Reach under the DCEP layer: the association itself queues on any stream.
        var association = (SctpAssociation)typeof(DataChannelConnection)
            .GetField("_association", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(link.Client)!;
        return association.SendMessage(stream, ppid, payload, ordered: true, maxRetransmits: null, lifetime: null, link.Now);
    }

    private static byte[] LieAboutChunkLength(byte[] packet, ushort length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), length);
        Crc32c.StampPacket(packet);
        return packet;
    }

    private static (LossyLink Link, ushort Id) Established()
    {
        var link = new LossyLink(seed: 99);
        var id = link.ConnectAndOpen("quotes", ordered: true, maxRetransmits: null);
        return (link, id);
    }

    private static void AssertStillWorks(LossyLink link, ushort id)
    {
        var marker = Guid.NewGuid().ToByteArray();
        Assert.True(link.Client.Send(id, marker, binary: true, link.Now));
        Assert.True(link.Server.Send(id, marker, binary: true, link.Now));
        Assert.True(link.RunUntil(() =>
            link.ServerMessages.Any(m => m.Payload.SequenceEqual(marker)) && link.ClientMessages.Any(m => m.Payload.SequenceEqual(marker))));
        Assert.Equal(0, link.Server.Counters.InternalErrors + link.Client.Counters.InternalErrors);
        Assert.False(link.Server.IsClosed);
        Assert.True(link.LargestPacket <= 1191);
    }
}
