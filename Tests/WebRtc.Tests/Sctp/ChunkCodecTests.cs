using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.WebRtc.Tests.Sctp;

[Trait("Tier", "Fast")]
public sealed class ChunkCodecTests
{
    [Fact]
    public void DataChunk_WriteThenParse_RoundTrips()
    {
        var value = new byte[DataChunk.HeaderLength + 3];
        DataChunk.WriteHeader(value, tsn: 0xFFFFFFFE, streamId: 7, ssn: 65535, ppid: 53);
        value[12] = 1;
        value[13] = 2;
        value[14] = 3;

        Assert.True(DataChunk.TryParse(DataChunk.FlagBeginning | DataChunk.FlagEnd | DataChunk.FlagUnordered, value, out var chunk));
        Assert.Equal(0xFFFFFFFEu, chunk.Tsn);
        Assert.Equal(7, chunk.StreamId);
        Assert.Equal(65535, chunk.Ssn);
        Assert.Equal(53u, chunk.Ppid);
        Assert.True(chunk.Beginning && chunk.End && chunk.Unordered);
        Assert.Equal(new byte[] { 1, 2, 3 }, chunk.UserData.ToArray());
    }

    [Fact]
    public void DataChunk_ShorterThanHeader_IsRejected() =>
        Assert.False(DataChunk.TryParse(0, new byte[11], out _));

    [Fact]
    public void Sack_WrittenByTracker_ParsesToSameGapsAndDuplicates()
    {
        var tracker = new ReceiveTracker(peerInitialTsn: 100);
        foreach (var tsn in new uint[] { 100, 101, 103, 104, 107 })
        {
            tracker.Add(tsn);
        }

        tracker.AddDuplicate(101);
        var value = new byte[256];
        var length = tracker.WriteSack(value, receiverWindow: 4096);

        Assert.True(SackChunk.TryParse(value.AsSpan(0, length), out var sack));
        Assert.Equal(101u, sack.CumulativeTsn);
        Assert.Equal(4096u, sack.ReceiverWindow);
        Assert.Equal(2, sack.GapCount);
        Assert.Equal((2, 3), (sack.GapStart(0), sack.GapEnd(0)));
        Assert.Equal((6, 6), (sack.GapStart(1), sack.GapEnd(1)));
        Assert.Equal(12 + 8 + 4, length);
    }

    [Fact]
    public void Sack_SmallDestination_TruncatesGapsAndDuplicatesToFit()
    {
        var tracker = new ReceiveTracker(peerInitialTsn: 1);
        for (uint tsn = 3; tsn < 200; tsn += 2)
        {
            tracker.Add(tsn);
            tracker.AddDuplicate(tsn);
        }

        var value = new byte[40];
        var length = tracker.WriteSack(value, receiverWindow: 1);

        Assert.True(length <= 40);
        Assert.True(SackChunk.TryParse(value.AsSpan(0, length), out var sack));
        Assert.True(sack.GapCount >= 1);
        Assert.Equal((3, 3), (sack.GapStart(0), sack.GapEnd(0))); // offsets count from cumulative TSN 0
    }

    [Fact]
    public void Sack_CountsLongerThanChunk_IsRejected()
    {
        byte[] value = [0, 0, 0, 1, 0, 0, 16, 0, /* gaps: */ 0, 9, /* dups: */ 0, 0];

        Assert.False(SackChunk.TryParse(value, out _));
    }

    [Fact]
    public void Tracker_ForwardTo_SkipsMissingAndAbsorbsLaterTsns()
    {
        var tracker = new ReceiveTracker(peerInitialTsn: 10);
        tracker.Add(13);

        Assert.True(tracker.ForwardTo(12));
        Assert.Equal(13u, tracker.CumulativeTsn);
        Assert.False(tracker.HasGaps);
    }

    [Fact]
    public void Init_WriteThenParse_RoundTripsWithCookieAndExtensions()
    {
        var info = new InitInfo { InitiateTag = 0xA1B2C3D4, ReceiverWindow = 131072, OutboundStreams = 10, InboundStreams = 20, InitialTsn = 42 };
        var value = new byte[256];
        byte[] cookie = [9, 8, 7, 6, 5];
        var length = InitChunk.Write(value, info, cookie, default);

        Assert.True(InitChunk.TryParse(value.AsSpan(0, length), out var parsed, null));
        Assert.Equal(info.InitiateTag, parsed.InitiateTag);
        Assert.Equal(info.ReceiverWindow, parsed.ReceiverWindow);
        Assert.Equal((10, 20), (parsed.OutboundStreams, parsed.InboundStreams));
        Assert.Equal(42u, parsed.InitialTsn);
        Assert.True(parsed.ForwardTsnSupported);
        Assert.True(parsed.ReConfigSupported);
        Assert.Equal(cookie, value.AsSpan(parsed.CookieOffset, parsed.CookieLength).ToArray());
    }

    [Theory]
    [InlineData(0x0123, false, 0)] // 00: stop, do not report
    [InlineData(0x4123, false, 1)] // 01: stop, report
    [InlineData(0x8123, true, 0)] // 10: skip, continue
    [InlineData(0xC123, true, 1)] // 11: skip, continue, report
    public void Init_UnknownParameter_FollowsTopTwoBits(int type, bool laterParameterSeen, int reported)
    {
        byte[] value =
        [
            0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1,
            /* unknown */ (byte)(type >> 8), (byte)type, 0, 5, 0xEE, 0, 0, 0,
            /* Forward-TSN-Supported after it */ 0xC0, 0x00, 0x00, 0x04,
        ];
        var unrecognized = new List<byte>();

        Assert.True(InitChunk.TryParse(value, out var info, unrecognized));
        Assert.Equal(laterParameterSeen, info.ForwardTsnSupported);
        Assert.Equal(reported * 12, unrecognized.Count);
    }

    [Fact]
    public void PacketReader_ChunkLengthBeyondPacket_FailsValidation()
    {
        var packet = SctpPackets.Build(1, (ChunkType.CookieAck, 0, []));
        packet[15] = 40;

        Assert.False(new SctpPacketReader(packet).TryValidate(out _));
    }

    [Fact]
    public void PacketReader_TwoChunks_EnumeratesBothWithPaddingSkipped()
    {
        var packet = SctpPackets.Build(1, (ChunkType.Heartbeat, 0, [1, 2, 3, 4, 5]), (ChunkType.CookieAck, 0, []));

        Assert.True(new SctpPacketReader(packet).TryValidate(out var count));
        Assert.Equal(2, count);
        var chunks = SctpPackets.Chunks(packet);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, chunks[0].Value);
        Assert.Equal(ChunkType.CookieAck, chunks[1].Type);
    }
}
