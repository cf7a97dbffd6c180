using System.Buffers.Binary;
using Ticker.PushHub.WebRtc.DataChannels;
using Ticker.PushHub.WebRtc.Dtls;
using Ticker.PushHub.WebRtc.Ice;
using Ticker.PushHub.WebRtc.Sctp;
using Ticker.WebRtc.Tests.Dtls;
using Ticker.WebRtc.Tests.Ice;
using Ticker.WebRtc.Tests.Sctp;

namespace Ticker.WebRtc.Tests.Captured;

/// <summary>
/// Packets Chromium 156 sent to the hub in the end-to-end data-channel test (Vectors/capture/README.md):
/// its fragmented DTLS ClientHello, and, decrypted, its SCTP INIT and DCEP OPEN.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ChromiumPacketTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(100);

    [Fact]
    public void ClientHello_TwoFragments_ClassifiedAsDtlsHandshakeRecords()
    {
        foreach (var name in new[] { "chromium-dtls-clienthello-1.hex", "chromium-dtls-clienthello-2.hex" })
        {
            var record = TestVectors.ReadHex(name);

            Assert.Equal(PacketKind.Dtls, PacketClassifier.Classify(record));
            Assert.Equal(22, record[0]); // handshake
            Assert.Equal(0xFEFF, BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(1))); // record version DTLS 1.0, as RFC 6347 §4.1 allows for the first flight
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(3))); // epoch 0
            Assert.Equal(1, record[13]); // ClientHello
            Assert.True(record.Length <= 1200);
        }
    }

    [Fact]
    public async Task ClientHello_TwoFragments_ServerReassemblesAndAnswersWithItsFlight()
    {
        var certificate = DtlsCertificate.Generate(TimeProvider.System);
        var handler = new RecordingHandler();
        var flight = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        handler.Forward = datagram => flight.TrySetResult(datagram.ToArray());
        // Any fingerprint: the handshake never gets as far as the client's certificate.
        using var server = new DtlsServerTransport(certificate, certificate.Sha256Fingerprint, handler, TimeSpan.FromSeconds(5));
        server.Start();

        server.Enqueue(TestVectors.ReadHex("chromium-dtls-clienthello-1.hex"));
        server.Enqueue(TestVectors.ReadHex("chromium-dtls-clienthello-2.hex"));
        var first = await flight.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(22, first[0]);
        Assert.Equal(0xFEFD, BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(1))); // DTLS 1.2 only
        Assert.Equal(2, first[13]); // ServerHello
        Assert.True(handler.MaxDatagramSize <= 1200);
    }

    [Fact]
    public void SctpInit_FromChromium_HasTheNotedParameters_AndGetsAnInitAck()
    {
        var init = TestVectors.ReadHex("chromium-sctp-init.hex");
        var server = new DataChannelConnection(new DataChannelOptions(), Start);

        Assert.True(Crc32c.VerifyPacket(init));
        var chunk = Assert.Single(SctpPackets.Chunks(init));
        Assert.Equal(ChunkType.Init, chunk.Type);
        Assert.True(InitChunk.TryParse(chunk.Value, out var info, null));
        Assert.Equal(5000, BinaryPrimitives.ReadUInt16BigEndian(init));
        Assert.Equal(65535, info.OutboundStreams);
        Assert.Equal(65535, info.InboundStreams);
        Assert.True(info.ForwardTsnSupported);
        Assert.True(info.ReConfigSupported);

        server.HandlePacket(init, Start);

        Assert.True(server.TryPollTransmit(out var answer));
        Assert.True(Crc32c.VerifyPacket(answer));
        Assert.Equal(info.InitiateTag, SctpPackets.Tag(answer));
        Assert.Equal(ChunkType.InitAck, Assert.Single(SctpPackets.Chunks(answer)).Type);
        Assert.True(answer.Length <= 1200);
    }

    [Fact]
    public void DcepOpen_FromChromium_UnorderedNoRetransmitsChannel()
    {
        var packet = TestVectors.ReadHex("chromium-sctp-dcep-open.hex");

        Assert.True(Crc32c.VerifyPacket(packet));
        var chunk = SctpPackets.Chunks(packet).Single(c => c.Type == ChunkType.Data);
        Assert.True(DataChunk.TryParse(chunk.Flags, chunk.Value, out var data));
        Assert.Equal(50u, data.Ppid); // DCEP
        Assert.True(DcepMessage.TryParseOpen(data.UserData, out var open));
        Assert.Equal("quotes", open.Label);
        Assert.False(open.Ordered);
        Assert.Equal(0, open.MaxRetransmits);
        Assert.Equal(0, data.StreamId % 2); // the DTLS client opens even stream ids
    }
}
