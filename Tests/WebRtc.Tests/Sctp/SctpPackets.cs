using System.Buffers.Binary;
using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.WebRtc.Tests.Sctp;

/// <summary>Hand-built SCTP packets for tests: common header, chunks, CRC32c.</summary>
internal static class SctpPackets
{
    public static byte[] Build(uint verificationTag, params (byte Type, byte Flags, byte[] Value)[] chunks) =>
        Build(5000, 5000, verificationTag, chunks);

    public static byte[] Build(ushort source, ushort destination, uint verificationTag, params (byte Type, byte Flags, byte[] Value)[] chunks)
    {
        var length = 12;
        foreach (var chunk in chunks)
        {
            length += (4 + chunk.Value.Length + 3) & ~3;
        }

        var packet = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(packet, source);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), destination);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), verificationTag);
        var offset = 12;
        foreach (var (type, flags, value) in chunks)
        {
            packet[offset] = type;
            packet[offset + 1] = flags;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), (ushort)(4 + value.Length));
            value.CopyTo(packet, offset + 4);
            offset += (4 + value.Length + 3) & ~3;
        }

        Crc32c.StampPacket(packet);
        return packet;
    }

    /// <summary>Chromium's INIT as the notes describe it: a_rwnd 5,242,880, 65535 streams each way, 0xC000 and 0x8008.</summary>
    public static byte[] ChromiumInit(uint initiateTag = 0x11223344, uint initialTsn = 1000) =>
        Build(0, (ChunkType.Init, 0,
        [
            .. BigEndian32(initiateTag),
            .. BigEndian32(5_242_880),
            0xFF, 0xFF, 0xFF, 0xFF,
            .. BigEndian32(initialTsn),
            /* Forward-TSN-Supported */ 0xC0, 0x00, 0x00, 0x04,
            /* Supported Extensions: RE-CONFIG, FORWARD-TSN */ 0x80, 0x08, 0x00, 0x06, 0x82, 0xC0, 0x00, 0x00,
        ]));

    public static byte[] BigEndian32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static uint Tag(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));

    /// <summary>(type, flags, value) of every chunk in a packet the code under test produced.</summary>
    public static List<(byte Type, byte Flags, byte[] Value)> Chunks(byte[] packet)
    {
        var result = new List<(byte, byte, byte[])>();
        foreach (var chunk in new SctpPacketReader(packet))
        {
            result.Add((chunk.Type, chunk.Flags, chunk.Value.ToArray()));
        }

        return result;
    }
}
