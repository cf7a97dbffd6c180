using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ticker.EndToEnd;

/// <summary>The seeded hub with Auth:Mode=jwt, and tokens for it as `make token` mints them.</summary>
public sealed class JwtDashboardHost : DashboardHost
{
    private const string Secret = "end-to-end-secret-end-to-end-secret-0123";
    private const string Issuer = "https://issuer.e2e";
    private const string Audience = "ticker-e2e";

    public static string Token(string sub, string[] symbols)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = sub, ["symbols"] = symbols, ["scope"] = "subscribe history" },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:Mode", "jwt");
        builder.UseSetting("Auth:Jwt:Secret", Secret);
        builder.UseSetting("Auth:Jwt:Issuer", Issuer);
        builder.UseSetting("Auth:Jwt:Audience", Audience);
    }
}
