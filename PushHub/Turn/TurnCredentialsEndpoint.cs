using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Ticker.PushHub.Identity;
using Ticker.TurnRelay;

namespace Ticker.PushHub.Turn;

/// <summary>
/// The bundled relay (section <c>Turn</c>, on by default in <c>make run</c>) and
/// <c>GET /api/turn-credentials</c>: TURN REST-API credentials (coturn's use-auth-secret scheme)
/// as an RTCIceServer, <c>{urls, username, credential, ttl}</c>.
/// </summary>
internal static class TurnCredentialsEndpoint
{
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(12);

    /// <summary>With Auth:Mode=none anyone may ask, so what they get is short-lived.</summary>
    private static readonly TimeSpan OpenTtl = TimeSpan.FromMinutes(10);

    public static IHostApplicationBuilder AddBundledTurnRelay(this IHostApplicationBuilder builder)
    {
        builder.AddTurnRelay();
        // Without a configured secret the hub makes one: the credentials it hands out are then
        // good for its own relay, and for no other.
        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        builder.Services.PostConfigure<TurnRelayOptions>(o => o.StaticAuthSecret = string.IsNullOrEmpty(o.StaticAuthSecret) ? generated : o.StaticAuthSecret);
        return builder;
    }

    public static WebApplication MapTurnCredentials(this WebApplication app)
    {
        app.MapGet("/api/turn-credentials", (HttpContext context, IOptions<TurnRelayOptions> options, TimeProvider clock) =>
        {
            var turn = options.Value;
            if (!turn.Enabled)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No TURN relay",
                    detail: "this hub does not run the bundled relay (Turn:Enabled is false)");
            }

            var caller = CallerIdentity.Of(context)!; // admitted by RequireEntitlement
            var now = clock.GetUtcNow();
            var ttl = TurnLifetime(caller, now);
            var (username, credential) = TurnRestCredentials.Create(turn.StaticAuthSecret!, TurnUser(caller), ttl, now);
            var host = PublicHost(turn, context);
            string[] urls =
            [
                $"stun:{host}:{turn.Port}",
                $"turn:{host}:{turn.Port}?transport=udp",
                $"turn:{host}:{turn.Port}?transport=tcp",
            ];
            return Results.Ok(new { urls, username, credential, ttl = (int)ttl.TotalSeconds });
        }).RequireEntitlement(Scopes.Turn);
        return app;
    }

    /// <summary>The REST username's user part (<c>expiry:user</c>), so the relay's logs name who relayed.</summary>
    private static string TurnUser(Entitlements caller) => caller == Entitlements.Anonymous ? "ticker" : caller.Subject;

    /// <summary>Never beyond the token's own expiry; short when the hub is open.</summary>
    private static TimeSpan TurnLifetime(Entitlements caller, DateTimeOffset now) => caller.Expires is { } expires
        ? TimeSpan.FromSeconds(Math.Max(1, Math.Floor(Math.Min(Ttl.TotalSeconds, (expires - now).TotalSeconds))))
        : caller == Entitlements.Anonymous ? OpenTtl : Ttl;

    /// <summary>The relay's address as browsers should use it: the external IP behind 1:1 NAT, else the host they reached.</summary>
    private static string PublicHost(TurnRelayOptions turn, HttpContext context)
    {
        var external = turn.ExternalIp?.Split(',')[0].Split('/')[0].Trim();
        var host = string.IsNullOrEmpty(external) ? context.Request.Host.Host : external;
        return host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
    }
}
