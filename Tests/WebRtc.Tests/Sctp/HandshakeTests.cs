using System.Buffers.Binary;
using Ticker.PushHub.WebRtc.DataChannels;
using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.WebRtc.Tests.Sctp;

[Trait("Tier", "Fast")]
public sealed class HandshakeTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(100);

    [Fact]
    public void HandlePacket_ChromiumInit_AnswersValidInitAckWithCookieAndExtensions()
    {
        var server = new DataChannelConnection(new DataChannelOptions(), Start);

        server.HandlePacket(SctpPackets.ChromiumInit(initiateTag: 0x11223344), Start);

        Assert.True(server.TryPollTransmit(out var packet));
        Assert.True(Crc32c.VerifyPacket(packet));
        Assert.Equal(0x11223344u, SctpPackets.Tag(packet));
        Assert.Equal(5000, BinaryPrimitives.ReadUInt16BigEndian(packet));
        Assert.Equal(5000, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
        var chunk = Assert.Single(SctpPackets.Chunks(packet));
        Assert.Equal(ChunkType.InitAck, chunk.Type);
        Assert.True(InitChunk.TryParse(chunk.Value, out var initAck, null));
        Assert.NotEqual(0u, initAck.InitiateTag);
        Assert.True(initAck.ForwardTsnSupported);
        Assert.True(initAck.ReConfigSupported);
        Assert.True(initAck.CookieLength > 0);
        Assert.Equal(65535, initAck.OutboundStreams);
        Assert.False(server.IsEstablished); // nothing committed before COOKIE-ECHO
        Assert.False(server.TryPollTransmit(out _));
    }

    [Fact]
    public void HandlePacket_CookieEchoOfOwnCookie_Establishes()
    {
        var server = new DataChannelConnection(new DataChannelOptions(), Start);
        var (tag, cookie) = InitAndTakeCookie(server);

        server.HandlePacket(SctpPackets.Build(tag, (ChunkType.CookieEcho, 0, cookie)), Start + TimeSpan.FromSeconds(1));

        Assert.True(server.IsEstablished);
        Assert.True(server.TryPollTransmit(out var ack));
        Assert.Equal(0x11223344u, SctpPackets.Tag(ack));
        Assert.Equal(ChunkType.CookieAck, SctpPackets.Chunks(ack)[0].Type);
        Assert.True(server.TryPollEvent(out var connected));
        Assert.IsType<DataChannelEvent.Connected>(connected);
    }

    [Fact]
    public void HandlePacket_TamperedCookie_IsRefused()
    {
        var server = new DataChannelConnection(new DataChannelOptions(), Start);
        var (tag, cookie) = InitAndTakeCookie(server);
        cookie[10] ^= 0x40;

        server.HandlePacket(SctpPackets.Build(tag, (ChunkType.CookieEcho, 0, cookie)), Start);

        Assert.False(server.IsEstablished);
        Assert.False(server.TryPollTransmit(out _));
        Assert.Equal(1, server.Counters.CookiesRejected);
    }

    [Fact]
    public void HandlePacket_ExpiredCookie_IsRefused()
    {
        var server = new DataChannelConnection(new DataChannelOptions(), Start);
        var (tag, cookie) = InitAndTakeCookie(server);

        server.HandlePacket(SctpPackets.Build(tag, (ChunkType.CookieEcho, 0, cookie)), Start + SctpAssociation.CookieLifetime + TimeSpan.FromSeconds(1));

        Assert.False(server.IsEstablished);
        Assert.Equal(1, server.Counters.CookiesRejected);
    }

    [Fact]
    public void HandlePacket_CookieFromAnotherConnection_IsRefused()
    {
        var other = new DataChannelConnection(new DataChannelOptions(), Start);
        var (tag, cookie) = InitAndTakeCookie(other);
        var server = new DataChannelConnection(new DataChannelOptions(), Start);

        server.HandlePacket(SctpPackets.Build(tag, (ChunkType.CookieEcho, 0, cookie)), Start);

        Assert.False(server.IsEstablished);
    }

    [Fact]
    public void HandlePacket_CookieEchoWithWrongVerificationTag_IsRefused()
    {
        var server = new DataChannelConnection(new DataChannelOptions(), Start);
        var (tag, cookie) = InitAndTakeCookie(server);

        server.HandlePacket(SctpPackets.Build(tag + 1, (ChunkType.CookieEcho, 0, cookie)), Start);

        Assert.False(server.IsEstablished);
    }

    [Fact]
    public void HandlePacket_InitWithNonZeroTag_IsDropped()
    {
        var server = new DataChannelConnection(new DataChannelOptions(), Start);
        var init = SctpPackets.ChromiumInit();
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(4), 7);
        Crc32c.StampPacket(init);

        server.HandlePacket(init, Start);

        Assert.False(server.TryPollTransmit(out _));
        Assert.Equal(1, server.Counters.BadVerificationTags);
    }

    [Fact]
    public void HandlePacket_InitWithUnknownReportableParameter_ReportsItInInitAck()
    {
        var server = new DataChannelConnection(new DataChannelOptions(), Start);
        byte[] value =
        [
            .. SctpPackets.BigEndian32(5), .. SctpPackets.BigEndian32(65536), 0, 10, 0, 10, .. SctpPackets.BigEndian32(1),
            /* unknown, top bits 11 */ 0xC1, 0x23, 0x00, 0x06, 0xAB, 0xCD, 0, 0,
        ];

        server.HandlePacket(SctpPackets.Build(0, (ChunkType.Init, 0, value)), Start);

        Assert.True(server.TryPollTransmit(out var initAck));
        var chunk = SctpPackets.Chunks(initAck)[0].Value;
        var marker = new byte[] { 0x00, 0x08, 0x00, 0x0A, 0xC1, 0x23, 0x00, 0x06, 0xAB, 0xCD };
        Assert.True(chunk.AsSpan().IndexOf(marker) > 0, "Unrecognized Parameter (8) wrapping the unknown one");
    }

    [Fact]
    public void ChromiumLikeSession_CookieEchoBundledWithOpen_ThenDataThenAbort()
    {
        var server = new DataChannelConnection(new DataChannelOptions(), Start);
        var (tag, cookie) = InitAndTakeCookie(server);
        byte[] open = [0x03, 0x81, 0x01, 0x00, 0, 0, 0, 0, 0, 6, 0, 0, .. "quotes"u8];
        byte[] openData = [.. SctpPackets.BigEndian32(1000), 0, 0, 0, 0, .. SctpPackets.BigEndian32(50), .. open];

        server.HandlePacket(SctpPackets.Build(tag, (ChunkType.CookieEcho, 0, cookie), (ChunkType.Data, 0x03, openData)), Start);

        var sent = Drain(server);
        var chunks = sent.SelectMany(SctpPackets.Chunks).ToList();
        Assert.Equal(ChunkType.CookieAck, chunks[0].Type);
        var ack = Assert.Single(chunks, c => c.Type == ChunkType.Data);
        Assert.Equal(0x03, ack.Flags); // B|E, ordered
        Assert.True(DataChunk.TryParse(ack.Flags, ack.Value, out var ackData));
        Assert.Equal((0, 50u), (ackData.StreamId, ackData.Ppid));
        Assert.Equal(new byte[] { 0x02 }, ackData.UserData.ToArray());
        Assert.All(sent, p => Assert.Equal(0x11223344u, SctpPackets.Tag(p)));
        var events = DrainEvents(server);
        Assert.IsType<DataChannelEvent.Connected>(events[0]);
        Assert.Equal(new DataChannelEvent.ChannelOpened(0, "quotes", string.Empty, false, 0, null), events[1]);

        byte[] text = [.. SctpPackets.BigEndian32(1001), 0, 0, 0, 0, .. SctpPackets.BigEndian32(51), .. "hi"u8];
        byte[] empty = [.. SctpPackets.BigEndian32(1002), 0, 0, 0, 0, .. SctpPackets.BigEndian32(57), 0];
        server.HandlePacket(SctpPackets.Build(tag, (ChunkType.Data, 0x07, text), (ChunkType.Data, 0x07, empty)), Start);
        events = DrainEvents(server);
        Assert.Equal("hi", System.Text.Encoding.UTF8.GetString(Assert.IsType<DataChannelEvent.MessageReceived>(events[0]).Payload));
        var second = Assert.IsType<DataChannelEvent.MessageReceived>(events[1]);
        Assert.True(second.Binary);
        Assert.Empty(second.Payload);

        server.HandlePacket(SctpPackets.Build(tag, (ChunkType.Abort, 0, [])), Start);
        Assert.True(server.IsClosed);
        Assert.IsType<DataChannelEvent.Closed>(Assert.Single(DrainEvents(server)));
    }

    private static List<byte[]> Drain(DataChannelConnection connection)
    {
        var packets = new List<byte[]>();
        while (connection.TryPollTransmit(out var packet))
        {
            packets.Add(packet);
        }

        return packets;
    }

    private static List<DataChannelEvent> DrainEvents(DataChannelConnection connection)
    {
        var events = new List<DataChannelEvent>();
        while (connection.TryPollEvent(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Sends Chromium's INIT and returns the server's tag and the cookie from its INIT-ACK.</summary>
    internal static (uint Tag, byte[] Cookie) InitAndTakeCookie(DataChannelConnection server)
    {
        server.HandlePacket(SctpPackets.ChromiumInit(initiateTag: 0x11223344), Start);
        Assert.True(server.TryPollTransmit(out var packet));
        var value = SctpPackets.Chunks(packet)[0].Value;
        Assert.True(InitChunk.TryParse(value, out var initAck, null));
        return (initAck.InitiateTag, value.AsSpan(initAck.CookieOffset, initAck.CookieLength).ToArray());
    }
}
