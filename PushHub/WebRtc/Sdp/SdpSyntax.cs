using System.Globalization;

namespace Ticker.PushHub.WebRtc.Sdp;

/// <summary>Token rules shared by the offer parser, the answer builder and the ICE credentials.</summary>
internal static class SdpSyntax
{
    /// <summary>RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/".</summary>
    public const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public const int MinUfragLength = 4;
    public const int MinPasswordLength = 22;
    public const int MaxIceCredentialLength = 256;

    /// <summary>A SHA-256 fingerprint as RFC 8122 §5 writes it: 32 hex pairs joined by colons.</summary>
    public const int Sha256FingerprintLength = (32 * 3) - 1;

    public static bool IsIceChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    public static bool IsIceString(ReadOnlySpan<char> value, int minLength)
    {
        if (value.Length < minLength || value.Length > MaxIceCredentialLength)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!IsIceChar(c))
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsValidUfrag(ReadOnlySpan<char> value) => IsIceString(value, MinUfragLength);

    public static bool IsValidPassword(ReadOnlySpan<char> value) => IsIceString(value, MinPasswordLength);

    /// <summary>RFC 4566 §9 token (used for a=mid, RFC 5888 §4): printable ASCII without separators.</summary>
    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > 256)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`{|}~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Normalises "ab:CD:..." (32 pairs) to upper case; false for anything else.</summary>
    public static bool TryNormalizeSha256Fingerprint(ReadOnlySpan<char> value, out string normalized)
    {
        normalized = "";
        if (value.Length != Sha256FingerprintLength)
        {
            return false;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var ok = i % 3 == 2 ? value[i] == ':' : char.IsAsciiHexDigit(value[i]);
            if (!ok)
            {
                return false;
            }
        }
        normalized = value.ToString().ToUpperInvariant();
        return true;
    }

    public static bool TryParseInt(ReadOnlySpan<char> value, out long result) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
}
