using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Ticker.PushHub.Identity;
using Ticker.PushHub.WebRtc;
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

    /// <summary>
    /// Bytes per second per allocation in bundled mode unless <c>Turn:MaxBps</c> says otherwise: a
    /// data channel of quotes needs a few KiB/s, a video call through the hub's relay would need far more.
    /// </summary>
    private const long BundledMaxBps = 256 * 1024;

    /// <summary>With Auth:Mode=none anyone may ask, so what they get is short-lived.</summary>
    private static readonly TimeSpan OpenTtl = TimeSpan.FromMinutes(10);

    public static IHostApplicationBuilder AddBundledTurnRelay(this IHostApplicationBuilder builder)
    {
        builder.AddTurnRelay();
        // Without a configured secret the hub makes one: the credentials it hands out are then
        // good for its own relay, and for no other.
        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        builder.Services.PostConfigure<TurnRelayOptions>(o => o.StaticAuthSecret = string.IsNullOrEmpty(o.StaticAuthSecret) ? generated : o.StaticAuthSecret);

        // The bundled relay is there for browsers to reach the hub's own ICE port (added to
        // Turn:AllowedPeerEndpoints below): nothing else unless the operator widens it, and
        // capped, so the hub is not a free relay for anything.
        var turn = builder.Configuration.GetSection("Turn");
        var onlyAllowed = turn.GetValue(nameof(TurnRelayOptions.OnlyAllowedPeers), true);
        var maxBps = turn.GetValue(nameof(TurnRelayOptions.MaxBps), BundledMaxBps);
        builder.Services.PostConfigure<TurnRelayOptions>(o =>
        {
            o.OnlyAllowedPeers = onlyAllowed;
            o.MaxBps = maxBps;
        });

        // The bundled relay refuses private peers, yet the hub's own ICE port is often private
        // (loopback in tests, a LAN address behind 1:1 NAT): let exactly that port through.
        if (builder.Configuration.GetSection(WebRtcOptions.Section).GetValue(nameof(WebRtcOptions.Enabled), true))
        {
            builder.Services.AddOptions<TurnRelayOptions>().PostConfigure<IOptions<WebRtcOptions>>((relay, rtc) =>
            {
                if (rtc.Value.Port != 0 && IPAddress.TryParse(rtc.Value.ListenAddress, out _))
                {
                    relay.AllowedPeerEndpoints.AddRange(HostCandidates.Addresses(rtc.Value)
                        .Select(a => new IPEndPoint(a, rtc.Value.Port).ToString())
                        .Except(relay.AllowedPeerEndpoints));
                }
            });
        }
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
            var (username, credential) = TurnRestCredentials.Create(turn.StaticAuthSecret!, TurnUser(caller, context), ttl, now);
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

    /// <summary>
    /// The REST username's user part (<c>expiry:user</c>): the relay's logs name who relayed, and its per-user
    /// quota (Turn:UserQuota) counts by it — a token's subject, else (open hub) the caller's address.
    /// </summary>
    private static string TurnUser(Entitlements caller, HttpContext context) => caller == Entitlements.Anonymous ? CallerName(context) : caller.Subject;

    /// <summary>Never beyond the token's own expiry; short when the hub is open.</summary>
    private static TimeSpan TurnLifetime(Entitlements caller, DateTimeOffset now) => caller.Expires is { } expires
        ? TimeSpan.FromSeconds(Math.Max(1, Math.Floor(Math.Min(Ttl.TotalSeconds, (expires - now).TotalSeconds))))
        : caller == Entitlements.Anonymous ? OpenTtl : Ttl;

    /// <summary>
    /// Who the credentials are for: the user part of coturn's "expiry:user" username, which the
    /// relay's per-user quota (Turn:UserQuota) counts by. The caller's address (colons of IPv6
    /// written as dashes, so the name has one colon), for callers with no token.
    /// </summary>
    internal static string CallerName(HttpContext context) =>
        (context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress)
        ?.ToString().Replace(':', '-') ?? "unknown";

    /// <summary>The relay's address as browsers should use it: the external IP behind 1:1 NAT, else the host they reached.</summary>
    private static string PublicHost(TurnRelayOptions turn, HttpContext context)
    {
        var external = turn.ExternalIp?.Split(',')[0].Split('/')[0].Trim();
        var host = string.IsNullOrEmpty(external) ? context.Request.Host.Host : external;
        return host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
    }
}
