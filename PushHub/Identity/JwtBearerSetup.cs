using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Ticker.PushHub.Identity;

/// <summary>
/// JwtBearer from <c>Auth:Jwt</c>. The algorithms allowed follow the kind of key configured (HMAC
/// for a secret, RSA/EC for public keys) so a token signed with HS256 over a public key, or with
/// <c>alg: none</c>, is refused by the library before any claim is read.
/// </summary>
internal sealed class JwtBearerSetup(IOptions<AuthOptions> auth) : IConfigureNamedOptions<JwtBearerOptions>
{
    private static readonly string[] HmacAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512];

    private static readonly string[] PublicKeyAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public void Configure(JwtBearerOptions options) => Configure(JwtBearerDefaults.AuthenticationScheme, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        var jwt = auth.Value.Jwt;
        options.MapInboundClaims = false;
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new JsonWebTokenHandler { MapInboundClaims = false, MaximumTokenSizeInBytes = JwtSettings.MaxTokenBytes });
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = jwt.ClockSkew,
            NameClaimType = "sub",
        };
        if (!string.IsNullOrEmpty(jwt.Secret))
        {
            parameters.ValidAlgorithms = HmacAlgorithms;
            parameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.Secret));
        }
        else
        {
            parameters.ValidAlgorithms = PublicKeyAlgorithms;
            if (!string.IsNullOrEmpty(jwt.PublicKeysFile))
            {
                parameters.IssuerSigningKeys = PublicKeys.Load(jwt.PublicKeysFile);
            }
            else if (!string.IsNullOrEmpty(jwt.JwksUrl))
            {
                var url = new Uri(jwt.JwksUrl);
                options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(jwt.JwksUrl, new JwksRetriever(jwt.Issuer!),
                    new HttpDocumentRetriever { RequireHttps = !url.IsLoopback });
            }
        }

        options.TokenValidationParameters = parameters;
        options.Events = new JwtBearerEvents
        {
            // Browsers cannot set headers on a WebSocket: /ws also takes ?access_token=, as SignalR clients send it.
            OnMessageReceived = context =>
            {
                if (context.Request.Path.StartsWithSegments("/ws") && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            },
        };
    }
}
