using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Ticker.PushHub.Operations;
using Ticker.PushHub.Identity;
using Ticker.PushHub.WebRtc;

namespace Ticker.PushHub.Push;

/// <summary><c>/ws</c>: the WebSocket protocol of docs/protocol.md, with a cap on connections per client address.</summary>
internal sealed class WebSocketEndpoint(
    SubscriptionManager subscriptions, IOptions<HubOptions> options, PushMetrics metrics, TimeProvider clock, ILogger<WebSocketEndpoint> logger,
    IServiceProvider services, DrainCoordinator drain)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status426UpgradeRequired, title: "WebSocket required",
                detail: "/ws speaks the WebSocket protocol of docs/protocol.md").ExecuteAsync(context);
            return;
        }

        if (drain.IsDraining)
        {
            // Stopping: a client that gets here (a proxy not yet told) should try another hub.
            context.Response.Headers.Connection = "close";
            context.Response.Headers.RetryAfter = "1";
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Hub restarting",
                detail: "this hub is stopping; connect again (to another hub) and resume").ExecuteAsync(context);
            return;
        }

        if (await WebSocketAdmission.RefuseAsync(context) is not { } auth)
        {
            return;
        }

        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var count = _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1);
        try
        {
            if (count > options.Value.MaxConnectionsPerAddress)
            {
                PushLog.TooManyConnections(logger, address.ToString(), count - 1);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many connections",
                    detail: $"at most {options.Value.MaxConnectionsPerAddress} connections per client address").ExecuteAsync(context);
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var batch = context.Request.Query["batch"] == "1";
            var rtc = services.GetService<WebRtcServer>();
            var session = new WebSocketSession(socket, subscriptions, options.Value, metrics, clock, logger, batch, rtc, address, auth);
            using var lease = drain.Track();
            using var onDrain = drain.Draining.Register(session.Drain);
            await session.RunAsync(context.RequestAborted);
        }
        finally
        {
            if (_perAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
            {
                _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
            }
        }
    }
}
