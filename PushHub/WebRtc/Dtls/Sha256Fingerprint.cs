using System.Globalization;
using System.Security.Cryptography;

namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>
/// The <c>a=fingerprint:sha-256</c> value of RFC 8122 §5: SHA-256 of the certificate's DER, written as
/// upper-case hex pairs joined by colons. Browsers send upper case; RFC 4572 grammar allows either.
/// </summary>
public static class Sha256Fingerprint
{
    public const int Length = 32;

    public static string Of(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> hash = stackalloc byte[Length];
        SHA256.HashData(certificateDer, hash);
        return Format(hash);
    }

    public static string Format(ReadOnlySpan<byte> hash) => string.Join(':', Convert.ToHexString(hash).Chunk(2).Select(pair => new string(pair)));

    /// <summary>Reads 32 colon-separated hex pairs in either case; surrounding whitespace is ignored.</summary>
    public static bool TryParse(string? text, out byte[] hash)
    {
        hash = [];
        if (text is null)
        {
            return false;
        }

        var parts = text.Trim().Split(':');
        if (parts.Length != Length)
        {
            return false;
        }

        var bytes = new byte[Length];
        for (var i = 0; i < Length; i++)
        {
            if (parts[i].Length != 2
                || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }
        hash = bytes;
        return true;
    }
}
