using System.Security.Cryptography;
using Microsoft.Extensions.Options;
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

            var (username, credential) = TurnRestCredentials.Create(turn.StaticAuthSecret!, "ticker", Ttl, clock.GetUtcNow());
            var host = PublicHost(turn, context);
            string[] urls =
            [
                $"stun:{host}:{turn.Port}",
                $"turn:{host}:{turn.Port}?transport=udp",
                $"turn:{host}:{turn.Port}?transport=tcp",
            ];
            return Results.Ok(new { urls, username, credential, ttl = (int)Ttl.TotalSeconds });
        });
        return app;
    }

    /// <summary>The relay's address as browsers should use it: the external IP behind 1:1 NAT, else the host they reached.</summary>
    private static string PublicHost(TurnRelayOptions turn, HttpContext context)
    {
        var external = turn.ExternalIp?.Split(',')[0].Split('/')[0].Trim();
        var host = string.IsNullOrEmpty(external) ? context.Request.Host.Host : external;
        return host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
    }
}
