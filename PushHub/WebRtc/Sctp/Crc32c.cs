using System.Buffers.Binary;
using System.Numerics;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// CRC32c (Castagnoli) as SCTP uses it (RFC 4960 Appendix B, RFC 3309): seed ~0, reflected,
/// final inversion; the checksum field is zero while computing and stored little-endian.
/// </summary>
internal static class Crc32c
{
    private const int ChecksumOffset = 8;

    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(uint.MaxValue, data);

    /// <summary>The checksum of an SCTP packet as if its checksum field were zero.</summary>
    public static uint ComputePacket(ReadOnlySpan<byte> packet)
    {
        var crc = Append(uint.MaxValue, packet[..ChecksumOffset]);
        crc = BitOperations.Crc32C(crc, 0u);
        crc = Append(crc, packet[(ChecksumOffset + 4)..]);
        return ~crc;
    }

    public static bool VerifyPacket(ReadOnlySpan<byte> packet) =>
        packet.Length >= SctpPacketReader.CommonHeaderLength
        && BinaryPrimitives.ReadUInt32LittleEndian(packet[ChecksumOffset..]) == ComputePacket(packet);

    public static void StampPacket(Span<byte> packet) =>
        BinaryPrimitives.WriteUInt32LittleEndian(packet[ChecksumOffset..], ComputePacket(packet));

    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
