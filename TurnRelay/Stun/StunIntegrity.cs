using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ticker.TurnRelay.Stun;

/// <summary>
/// MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) and MESSAGE-INTEGRITY-SHA256 (§14.6). The HMAC
/// covers the message up to the attribute, with the header length set as if the attribute were
/// the last one. Keys: short-term = the password bytes (after OpaqueString); long-term (§9.2.2) =
/// MD5(username ":" realm ":" password).
/// </summary>
public static class StunIntegrity
{
    public const int Sha1Length = 20;
    public const int Sha256Length = 32;
    public const int LongTermKeyLength = 16;
    private const int StackLimit = 2048;

    /// <summary>MD5(username:realm:password) into <paramref name="key"/> (16 bytes).</summary>
    public static void ComputeLongTermKey(string username, string realm, string password, Span<byte> key)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        var length = Encoding.UTF8.GetByteCount(username) + Encoding.UTF8.GetByteCount(realm) + Encoding.UTF8.GetByteCount(password) + 2;
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var text = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        var n = Encoding.UTF8.GetBytes(username, text);
        text[n++] = (byte)':';
        n += Encoding.UTF8.GetBytes(realm, text[n..]);
        text[n++] = (byte)':';
        n += Encoding.UTF8.GetBytes(password, text[n..]);
#pragma warning disable CA5351 // MD5 is what RFC 8489 §9.2.2 prescribes for the long-term key.
        MD5.HashData(text[..n], key);
#pragma warning restore CA5351
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>Verifies MESSAGE-INTEGRITY-SHA256 if present, else MESSAGE-INTEGRITY. False when neither is present.</summary>
    public static bool Verify(in StunMessageReader message, ReadOnlySpan<byte> key)
    {
        if (message.MessageIntegritySha256Offset >= 0 && message.MessageIntegrityOffset < 0)
        {
            return VerifySha256(message, key);
        }
        return message.MessageIntegrityOffset >= 0 && VerifySha1(message, key);
    }

    public static bool VerifySha1(in StunMessageReader message, ReadOnlySpan<byte> key)
    {
        var offset = message.MessageIntegrityOffset;
        if (offset < 0)
        {
            return false;
        }
        Span<byte> mac = stackalloc byte[Sha1Length];
        ComputeOver(message.Message[..offset], offset + 4 + Sha1Length, key, mac, sha256: false);
        return CryptographicOperations.FixedTimeEquals(mac, message.Message.Slice(offset + 4, Sha1Length));
    }

    public static bool VerifySha256(in StunMessageReader message, ReadOnlySpan<byte> key)
    {
        var offset = message.MessageIntegritySha256Offset;
        if (offset < 0)
        {
            return false;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(message.Message[(offset + 2)..]);
        Span<byte> mac = stackalloc byte[Sha256Length];
        ComputeOver(message.Message[..offset], offset + 4 + length, key, mac, sha256: true);
        return CryptographicOperations.FixedTimeEquals(mac[..length], message.Message.Slice(offset + 4, length));
    }

    /// <summary>
    /// HMAC over <paramref name="prefix"/> (a message up to the integrity attribute), with the header's
    /// length field replaced so the message appears to end at <paramref name="endOffset"/>.
    /// </summary>
    internal static void ComputeOver(ReadOnlySpan<byte> prefix, int endOffset, ReadOnlySpan<byte> key, Span<byte> mac, bool sha256)
    {
        var rented = prefix.Length > StackLimit ? ArrayPool<byte>.Shared.Rent(prefix.Length) : null;
        var copy = rented is null ? stackalloc byte[StackLimit] : rented.AsSpan();
        copy = copy[..prefix.Length];
        prefix.CopyTo(copy);
        BinaryPrimitives.WriteUInt16BigEndian(copy[2..], (ushort)(endOffset - StunMessageReader.HeaderLength));
        if (sha256)
        {
            HMACSHA256.HashData(key, copy, mac);
        }
        else
        {
#pragma warning disable CA5350 // HMAC-SHA1 is what RFC 8489 §14.5 prescribes.
            HMACSHA1.HashData(key, copy, mac);
#pragma warning restore CA5350
        }
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
