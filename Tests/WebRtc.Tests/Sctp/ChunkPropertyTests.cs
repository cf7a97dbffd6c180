using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.WebRtc.Tests.Sctp;

/// <summary>Properties of the SCTP chunk codec and CRC32c over generated values and arbitrary bytes.</summary>
[Trait("Tier", "Fast")]
public sealed class ChunkPropertyTests
{
    [Property(MaxTest = 200)]
    public Property DataChunk_InAPacket_RoundTrips() =>
        Prop.ForAll(DataGenerator().ToArbitrary(), data =>
        {
            var writer = new SctpPacketWriter(1200);
            writer.Begin(5000, 5001, data.Tag);
            var value = writer.BeginChunk(ChunkType.Data, data.Flags);
            var header = DataChunk.WriteHeader(value, data.Tsn, data.StreamId, data.Ssn, data.Ppid);
            data.UserData.CopyTo(value[header..]);
            writer.EndChunk(header + data.UserData.Length);
            var packet = writer.ToArray();

            Assert.True(Crc32c.VerifyPacket(packet));
            var reader = new SctpPacketReader(packet);
            Assert.True(reader.TryValidate(out var count));
            Assert.Equal(1, count);
            Assert.Equal((5000, 5001, data.Tag), (reader.SourcePort, reader.DestinationPort, reader.VerificationTag));
            var chunk = SctpPackets.Chunks(packet).Single();
            Assert.Equal(ChunkType.Data, chunk.Type);
            Assert.True(DataChunk.TryParse(chunk.Flags, chunk.Value, out var parsed));
            Assert.Equal((data.Tsn, data.StreamId, data.Ssn, data.Ppid), (parsed.Tsn, parsed.StreamId, parsed.Ssn, parsed.Ppid));
            Assert.Equal(((data.Flags & 4) != 0, (data.Flags & 2) != 0, (data.Flags & 1) != 0), (parsed.Unordered, parsed.Beginning, parsed.End));
            Assert.Equal(data.UserData, parsed.UserData.ToArray());
        });

    [Property(MaxTest = 200)]
    public Property Sack_FromTracker_CarriesTheGapsAndDuplicates() =>
        Prop.ForAll(SackGenerator().ToArbitrary(), sample =>
        {
            var (initial, offsets, duplicates) = sample;
            var tracker = new ReceiveTracker(initial);
            foreach (var offset in offsets)
            {
                tracker.Add(initial + (uint)offset);
            }

            foreach (var duplicate in duplicates)
            {
                tracker.AddDuplicate(duplicate);
            }

            var value = new byte[2048];
            var length = tracker.WriteSack(value, receiverWindow: 65536);

            var (cumulative, gaps) = Expected(initial, offsets);
            var read = ReadSack(value.AsSpan(0, length));
            Assert.Equal(cumulative, read.Cumulative);
            Assert.Equal(65536u, read.Window);
            Assert.Equal(gaps.Take(64), read.Gaps);
            var reported = BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(10));
            var duplicatesAt = 12 + (4 * read.Gaps.Count);
            Assert.Equal(duplicates.Take(32), Enumerable.Range(0, reported).Select(i => BinaryPrimitives.ReadUInt32BigEndian(value.AsSpan(duplicatesAt + (4 * i)))));
            Assert.Equal(duplicatesAt + (4 * reported), length);
        });

    [Property(MaxTest = 200)]
    public Property Sack_IntoAnySmallBuffer_StillParsesWithAPrefixOfTheGaps() =>
        Prop.ForAll(SackGenerator().ToArbitrary(), Gen.Choose(12, 160).ToArbitrary(), (sample, size) =>
        {
            var (initial, offsets, duplicates) = sample;
            var tracker = new ReceiveTracker(initial);
            foreach (var offset in offsets)
            {
                tracker.Add(initial + (uint)offset);
            }

            foreach (var duplicate in duplicates)
            {
                tracker.AddDuplicate(duplicate);
            }

            var value = new byte[size];
            var length = tracker.WriteSack(value, receiverWindow: 1);

            Assert.InRange(length, SackChunk.FixedLength, size);
            var gaps = ReadSack(value.AsSpan(0, length)).Gaps;
            Assert.Equal(Expected(initial, offsets).Gaps.Take(gaps.Count), gaps);
        });

    [Property(MaxTest = 200)]
    public Property Init_RoundTripsWithCookieAndSkippedParameters() =>
        Prop.ForAll(InitGenerator().ToArbitrary(), sample =>
        {
            var (info, cookie, skipped) = sample;
            var value = new byte[4096];
            var length = InitChunk.Write(value, info, cookie, skipped);

            var unrecognized = new List<byte>();
            Assert.True(InitChunk.TryParse(value.AsSpan(0, length), out var parsed, unrecognized));
            Assert.Equal(
                (info.InitiateTag, info.ReceiverWindow, info.OutboundStreams, info.InboundStreams, info.InitialTsn),
                (parsed.InitiateTag, parsed.ReceiverWindow, parsed.OutboundStreams, parsed.InboundStreams, parsed.InitialTsn));
            Assert.True(parsed.ForwardTsnSupported && parsed.ReConfigSupported);
            Assert.Equal(cookie, value.AsSpan(parsed.CookieOffset, parsed.CookieLength).ToArray());
            Assert.Empty(unrecognized); // 10xx parameters are skipped without a report
        });

    [Property(MaxTest = 300)]
    public Property ArbitraryBytes_ValidateOrRefuse_NeverThrow() =>
        Prop.ForAll(HostileGenerator().ToArbitrary(), packet =>
        {
            var reader = new SctpPacketReader(packet);
            if (!reader.TryValidate(out var count))
            {
                return;
            }

            var seen = 0;
            foreach (var chunk in reader)
            {
                seen++;
                Exercise(chunk);
            }

            Assert.Equal(count, seen);
        });

    [Property(MaxTest = 300)]
    public Property Crc32c_MatchesABitwiseReference() =>
        Prop.ForAll(Bytes(0, 300).ToArbitrary(), data =>
        {
            Assert.Equal(Reference(data), Crc32c.Compute(data));
            if (data.Length >= SctpPacketReader.CommonHeaderLength)
            {
                var zeroed = (byte[])data.Clone();
                zeroed.AsSpan(8, 4).Clear();
                Assert.Equal(Reference(zeroed), Crc32c.ComputePacket(data));
            }
        });

    /// <summary>Every parser a chunk of its type would meet, on whatever value it carries.</summary>
    private static void Exercise(Chunk chunk)
    {
        switch (chunk.Type)
        {
            case ChunkType.Data when DataChunk.TryParse(chunk.Flags, chunk.Value, out var data):
                _ = (data.Tsn, data.StreamId, data.Ssn, data.Ppid, data.UserData.Length);
                break;
            case ChunkType.Sack when SackChunk.TryParse(chunk.Value, out var sack):
                for (var i = 0; i < sack.GapCount; i++)
                {
                    _ = (sack.GapStart(i), sack.GapEnd(i));
                }

                break;
            case ChunkType.Init or ChunkType.InitAck when InitChunk.TryParse(chunk.Value, out var info, []):
                Assert.InRange(info.CookieOffset + info.CookieLength, 0, chunk.Value.Length);
                break;
            case ChunkType.ForwardTsn when ForwardTsnChunk.TryParse(chunk.Value, out var forward):
                for (var i = 0; i < forward.StreamCount; i++)
                {
                    _ = (forward.NewCumulativeTsn, forward.StreamId(i), forward.Ssn(i));
                }

                break;
            default:
                break;
        }
    }

    private static (uint Cumulative, uint Window, List<(ushort, ushort)> Gaps) ReadSack(ReadOnlySpan<byte> value)
    {
        Assert.True(SackChunk.TryParse(value, out var sack));
        var gaps = new List<(ushort, ushort)>();
        for (var i = 0; i < sack.GapCount; i++)
        {
            gaps.Add((sack.GapStart(i), sack.GapEnd(i)));
        }

        return (sack.CumulativeTsn, sack.ReceiverWindow, gaps);
    }

    /// <summary>The cumulative TSN and gap blocks (offsets from it) that the received offsets imply.</summary>
    private static (uint Cumulative, List<(ushort, ushort)> Gaps) Expected(uint initial, int[] offsets)
    {
        var received = offsets.ToHashSet();
        var next = 0;
        while (received.Contains(next))
        {
            next++;
        }

        var gaps = new List<(ushort, ushort)>();
        var above = received.Where(o => o > next).Order().ToList();
        for (var i = 0; i < above.Count; i++)
        {
            var start = above[i];
            while (i + 1 < above.Count && above[i + 1] == above[i] + 1)
            {
                i++;
            }

            gaps.Add(((ushort)(start - next + 1), (ushort)(above[i] - next + 1)));
        }

        return (initial + (uint)next - 1, gaps);
    }

    private static uint Reference(byte[] data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static Gen<byte[]> Bytes(int min, int max) => ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), min, max);

    private static Gen<T[]> ArrayOf<T>(Gen<T> element, int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(element, n));

    private static Gen<uint> UInt32() =>
        Gen.Frequency((3, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i)), (1, Gen.Elements(0u, 1u, uint.MaxValue - 1, uint.MaxValue)));

    private static Gen<(uint Tag, byte Flags, uint Tsn, ushort StreamId, ushort Ssn, uint Ppid, byte[] UserData)> DataGenerator() =>
        from tag in UInt32()
        from flags in Gen.Choose(0, 7)
        from tsn in UInt32()
        from stream in Gen.Choose(0, 0xFFFF)
        from ssn in Gen.Choose(0, 0xFFFF)
        from ppid in Gen.Elements(50u, 51u, 53u, 56u, 57u, 0u)
        from userData in Bytes(0, 1100)
        select (tag, (byte)flags, tsn, (ushort)stream, (ushort)ssn, ppid, userData);

    /// <summary>A peer's initial TSN (wrap-around included), the offsets received from it, duplicate reports.</summary>
    private static Gen<(uint Initial, int[] Offsets, uint[] Duplicates)> SackGenerator() =>
        from initial in UInt32()
        from count in Gen.Choose(0, 300)
        from offsets in Gen.ArrayOf(Gen.Frequency((4, Gen.Choose(0, 40)), (1, Gen.Choose(0, 1000))), count)
        from duplicates in ArrayOf(UInt32(), 0, 40)
        select (initial, offsets.Distinct().ToArray(), duplicates);

    private static Gen<(InitInfo Info, byte[] Cookie, byte[] Skipped)> InitGenerator() =>
        from tag in UInt32()
        from window in UInt32()
        from outbound in Gen.Choose(1, 0xFFFF)
        from inbound in Gen.Choose(1, 0xFFFF)
        from tsn in UInt32()
        from cookie in Bytes(0, 300)
        from skippedType in Gen.Choose(0x8000, 0xBFFF).Where(t => t != ParameterType.SupportedExtensions)
        from skippedValue in Bytes(0, 20)
        from withSkipped in Gen.Elements(false, true)
        select (
            new InitInfo { InitiateTag = tag, ReceiverWindow = window, OutboundStreams = (ushort)outbound, InboundStreams = (ushort)inbound, InitialTsn = tsn },
            cookie,
            withSkipped ? Parameter((ushort)skippedType, skippedValue) : []);

    private static byte[] Parameter(ushort type, byte[] value)
    {
        var parameter = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16BigEndian(parameter, type);
        BinaryPrimitives.WriteUInt16BigEndian(parameter.AsSpan(2), (ushort)(4 + value.Length));
        value.CopyTo(parameter, 4);
        return parameter;
    }

    /// <summary>Noise, and well-formed packets of random chunks with one byte changed or the end cut off.</summary>
    private static Gen<byte[]> HostileGenerator() =>
        Gen.OneOf(
            Bytes(0, 200),
            from chunks in ArrayOf(
                from type in Gen.Elements(ChunkType.Data, ChunkType.Init, ChunkType.InitAck, ChunkType.Sack, ChunkType.ForwardTsn, ChunkType.Heartbeat, (byte)0x42)
                from flags in Gen.Choose(0, 255)
                from value in Bytes(0, 80)
                select (type, (byte)flags, value),
                1,
                4)
            from at in Gen.Choose(0, 10_000)
            from replacement in Gen.Choose(0, 255)
            from cut in Gen.Choose(0, 10_000)
            select Break(SctpPackets.Build(1, chunks), at, (byte)replacement, cut));

    private static byte[] Break(byte[] packet, int at, byte value, int cut)
    {
        packet[at % packet.Length] = value;
        return cut % 3 == 0 ? packet[..(cut % (packet.Length + 1))] : packet;
    }
}
