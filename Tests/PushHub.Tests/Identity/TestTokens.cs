using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ticker.PushHub.Identity;

namespace Ticker.PushHub.Tests.Identity;

/// <summary>Tokens for a hub in jwt mode: good ones, minted as `make token` does, and every kind of hostile one.</summary>
internal static class TestTokens
{
    public static readonly JwtSettings Jwt = new()
    {
        Secret = "test-secret-test-secret-test-secret-0123456789",
        Issuer = "https://issuer.test",
        Audience = "ticker-tests",
    };

    public static void UseJwt(this HubFactory hub)
    {
        hub.Settings["Auth:Mode"] = "jwt";
        hub.Settings["Auth:Jwt:Secret"] = Jwt.Secret;
        hub.Settings["Auth:Jwt:Issuer"] = Jwt.Issuer;
        hub.Settings["Auth:Jwt:Audience"] = Jwt.Audience;
        hub.Settings["Auth:Timeout"] = "00:00:02";
        hub.Settings["Auth:ExpiryWarning"] = "00:00:02";
    }

    public static string Mint(string sub, string[] symbols, string scopes = "subscribe history", TimeSpan? ttl = null) =>
        DevelopmentTokens.Mint(Jwt, sub, symbols, scopes.Split(' '), ttl ?? TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    /// <summary>Hostile tokens by name (for theories); each must be refused wherever it is presented.</summary>
    public static string Hostile(string kind) => kind switch
    {
        "malformed" => "not-a-jwt",
        "wrong-signature" => Sign(Descriptor(), new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-secret-another-secret-0123456789")), SecurityAlgorithms.HmacSha256),
        "alg-none" => Unsigned(),
        "expired" => Sign(Descriptor(notBefore: DateTime.UtcNow.AddHours(-3), expires: DateTime.UtcNow.AddHours(-2))),
        "not-yet-valid" => Sign(Descriptor(notBefore: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(2))),
        "wrong-issuer" => Sign(Descriptor(issuer: "https://evil.test")),
        "wrong-audience" => Sign(Descriptor(audience: "someone-else")),
        "oversized" => Sign(Descriptor(symbols: Enumerable.Range(0, 2000).Select(i => $"S{i:D5}").ToArray())),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static readonly TheoryData<string> HostileKinds = new()
    {
        "malformed", "wrong-signature", "alg-none", "expired", "not-yet-valid", "wrong-issuer", "wrong-audience", "oversized",
    };

    public static SecurityTokenDescriptor Descriptor(string? issuer = null, string? audience = null, DateTime? notBefore = null, DateTime? expires = null,
        string[]? symbols = null) => new()
        {
            Issuer = issuer ?? Jwt.Issuer,
            Audience = audience ?? Jwt.Audience,
            NotBefore = notBefore ?? DateTime.UtcNow,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            IssuedAt = notBefore ?? DateTime.UtcNow,
            Claims = new Dictionary<string, object> { ["sub"] = "mallory", ["symbols"] = symbols ?? ["*"], ["scope"] = "subscribe history publish turn" },
        };

    public static string Sign(SecurityTokenDescriptor descriptor, SecurityKey? key = null, string algorithm = SecurityAlgorithms.HmacSha256)
    {
        descriptor.SigningCredentials = new SigningCredentials(key ?? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Jwt.Secret!)), algorithm);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary><c>alg: none</c>, built by hand (the library rightly will not make one): header, payload, empty signature.</summary>
    public static string Unsigned()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode(
            $$"""{"iss":"{{Jwt.Issuer}}","aud":"{{Jwt.Audience}}","sub":"mallory","symbols":["*"],"scope":"subscribe history publish turn","exp":{{exp}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>HS256 over an RSA public key's PEM text: the classic confusion against a hub that verifies with that public key.</summary>
    public static string HmacWithPublicKey(RSA rsa) =>
        Sign(Descriptor(), new SymmetricSecurityKey(Encoding.UTF8.GetBytes(rsa.ExportSubjectPublicKeyInfoPem())), SecurityAlgorithms.HmacSha256);
}
