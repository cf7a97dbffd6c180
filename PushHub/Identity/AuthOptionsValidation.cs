using System.Text;
using Microsoft.Extensions.Options;

namespace Ticker.PushHub.Identity;

/// <summary>Fails the start with a message naming the setting, so a hub never runs with half an identity setup.</summary>
internal sealed class AuthOptionsValidation : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add("Auth:Timeout must be positive.");
        }

        if (options.ExpiryWarning < TimeSpan.Zero)
        {
            errors.Add("Auth:ExpiryWarning must not be negative.");
        }

        // A short secret is refused in either mode: `make token` would mint with it.
        if (!string.IsNullOrEmpty(options.Jwt.Secret) && Encoding.UTF8.GetByteCount(options.Jwt.Secret) < JwtSettings.MinSecretBytes)
        {
            errors.Add($"Auth:Jwt:Secret must be at least {JwtSettings.MinSecretBytes} bytes.");
        }

        if (options.Mode == AuthMode.Jwt)
        {
            ValidateJwt(options.Jwt, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateJwt(JwtSettings jwt, List<string> errors)
    {
        var sources = new[] { jwt.Secret, jwt.PublicKeysFile, jwt.JwksUrl }.Count(s => !string.IsNullOrEmpty(s));
        if (sources != 1)
        {
            errors.Add("Auth:Mode=jwt needs exactly one of Auth:Jwt:Secret, Auth:Jwt:PublicKeysFile or Auth:Jwt:JwksUrl.");
        }

        if (string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            errors.Add("Auth:Jwt:Issuer is required with Auth:Mode=jwt (the iss every token must carry).");
        }

        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            errors.Add("Auth:Jwt:Audience is required with Auth:Mode=jwt (the aud every token must carry).");
        }

        if (!string.IsNullOrEmpty(jwt.PublicKeysFile))
        {
            try
            {
                if (PublicKeys.Load(jwt.PublicKeysFile).Count == 0)
                {
                    errors.Add($"Auth:Jwt:PublicKeysFile {jwt.PublicKeysFile} holds no signing key.");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or FormatException
                or System.Security.Cryptography.CryptographicException or System.Text.Json.JsonException)
            {
                errors.Add($"Auth:Jwt:PublicKeysFile {jwt.PublicKeysFile}: {e.Message}");
            }
        }

        if (!string.IsNullOrEmpty(jwt.JwksUrl)
            && !(Uri.TryCreate(jwt.JwksUrl, UriKind.Absolute, out var url) && (url.Scheme == "https" || (url.Scheme == "http" && url.IsLoopback))))
        {
            errors.Add("Auth:Jwt:JwksUrl must be an absolute https:// URL (http:// only on loopback).");
        }

        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > TimeSpan.FromMinutes(5))
        {
            errors.Add("Auth:Jwt:ClockSkew must be between 0 and 5 minutes.");
        }
    }
}
