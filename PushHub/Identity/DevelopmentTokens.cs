using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ticker.PushHub.Identity;

/// <summary>Mints HMAC-signed tokens with the hub's configured secret (<c>make token</c>, and the tests).</summary>
internal static class DevelopmentTokens
{
    public static string Mint(JwtSettings jwt, string subject, IEnumerable<string> symbols, IEnumerable<string> scopes, TimeSpan ttl, DateTimeOffset now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(ttl).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["symbols"] = symbols.ToArray(),
                ["scope"] = string.Join(' ', scopes),
            },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.Secret!)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
