using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Ticker.PushHub.Identity;

/// <summary>
/// Validates a token that arrived inside a WebSocket message (<c>auth</c>, <c>refresh</c>) with the very
/// handlers and parameters JwtBearer uses for headers, including keys fetched from <c>Auth:Jwt:JwksUrl</c>.
/// </summary>
internal sealed class AccessTokenValidator(IOptionsMonitor<JwtBearerOptions> bearer)
{
    public async Task<Entitlements?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var options = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = options.TokenValidationParameters.Clone();
        if (options.ConfigurationManager is { } manager)
        {
            var configuration = await manager.GetConfigurationAsync(cancellationToken);
            parameters.IssuerSigningKeys = parameters.IssuerSigningKeys?.Concat(configuration.SigningKeys) ?? configuration.SigningKeys;
        }

        foreach (var handler in options.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            if (result.IsValid)
            {
                return Entitlements.FromPrincipal(new ClaimsPrincipal(result.ClaimsIdentity));
            }
        }

        return null;
    }
}
