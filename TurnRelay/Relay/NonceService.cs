using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// Stateless nonces (RFC 8489 §9.2): 16 hex digits of the issue time (unix ms) followed by 16 hex
/// digits of HMAC-SHA256(process key, time || client address), truncated. Nothing is stored per
/// client; a nonce older than stale-nonce yields 438.
/// </summary>
internal sealed class NonceService(TimeProvider time, TimeSpan lifetime)
{
    public const int Length = 32;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public enum Check
    {
        Valid,
        Stale,
        Invalid,
    }

    public string Create(UInt128 clientAddress)
    {
        Span<byte> raw = stackalloc byte[16];
        var issued = time.GetUtcNow().ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteInt64BigEndian(raw, issued);
        Sign(issued, clientAddress, raw[8..]);
        return Convert.ToHexStringLower(raw);
    }

    public Check Validate(ReadOnlySpan<byte> nonce, UInt128 clientAddress)
    {
        Span<byte> raw = stackalloc byte[16];
        if (nonce.Length != Length || !TryHex(nonce, raw))
        {
            return Check.Invalid;
        }
        var issued = BinaryPrimitives.ReadInt64BigEndian(raw);
        Span<byte> expected = stackalloc byte[8];
        Sign(issued, clientAddress, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw[8..]))
        {
            return Check.Invalid;
        }
        var age = time.GetUtcNow().ToUnixTimeMilliseconds() - issued;
        return age >= 0 && age <= (long)lifetime.TotalMilliseconds ? Check.Valid : Check.Stale;
    }

    private void Sign(long issued, UInt128 clientAddress, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(input, issued);
        BinaryPrimitives.WriteUInt128BigEndian(input[8..], clientAddress);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, input, mac);
        mac[..destination.Length].CopyTo(destination);
    }

    private static bool TryHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var hi = Nibble(hex[2 * i]);
            var lo = Nibble(hex[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }
            destination[i] = (byte)((hi << 4) | lo);
        }
        return true;
    }

    private static int Nibble(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
