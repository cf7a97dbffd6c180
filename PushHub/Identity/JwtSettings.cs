namespace Ticker.PushHub.Identity;

/// <summary>
/// <c>Auth:Jwt</c>: how tokens are checked. Exactly one key source: an HMAC <see cref="Secret"/>,
/// a <see cref="PublicKeysFile"/> (JWKS JSON or PEM), or a <see cref="JwksUrl"/> (an OIDC issuer's keys).
/// </summary>
public sealed class JwtSettings
{
    /// <summary>Refused before any parsing: far beyond any real token, small enough to cost nothing.</summary>
    public const int MaxTokenBytes = 8 * 1024;

    public const int MinSecretBytes = 32;

    public string? Secret { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    public string? PublicKeysFile { get; set; }

    public string? JwksUrl { get; set; }

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
