using System.Buffers.Binary;

namespace Ticker.TurnRelay.Stun;

/// <summary>
/// FINGERPRINT (RFC 8489 §14.7): CRC-32 (ISO HDLC, as in zlib) of the message up to the attribute,
/// with the header length already covering the FINGERPRINT, XOR 0x5354554E.
/// </summary>
public static class StunFingerprint
{
    public const uint XorValue = 0x5354554E;

    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return ~crc ^ XorValue;
    }

    /// <summary>Checks the FINGERPRINT of a parsed message; false when absent or wrong.</summary>
    public static bool Verify(in StunMessageReader message)
    {
        var offset = message.FingerprintOffset;
        if (offset < 0)
        {
            return false;
        }
        var expected = BinaryPrimitives.ReadUInt32BigEndian(message.Message[(offset + 4)..]);
        return Compute(message.Message[..offset]) == expected;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
