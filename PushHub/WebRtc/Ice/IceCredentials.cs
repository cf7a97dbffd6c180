using System.Security.Cryptography;
using Ticker.PushHub.WebRtc.Sdp;

namespace Ticker.PushHub.WebRtc.Ice;

/// <summary>Random ice-ufrag/ice-pwd (RFC 8839 §5.4: ice-char is ALPHA / DIGIT / "+" / "/").</summary>
public static class IceCredentials
{
    /// <summary>8 ice-chars (48 bits): the ufrag names the session on the shared port, so collisions must be rare.</summary>
    public const int UfragLength = 8;

    /// <summary>24 ice-chars (144 bits), above RFC 8839's 22-char (128-bit) minimum.</summary>
    public const int PasswordLength = 24;

    public static string NewUfrag() => Random(UfragLength);

    public static string NewPassword() => Random(PasswordLength);

    private static string Random(int length) =>
        new(RandomNumberGenerator.GetItems<char>(SdpSyntax.IceChars, length));
}
