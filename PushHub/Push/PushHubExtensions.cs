using Ticker.Ingest.Broker;
using Ticker.PushHub.Broker;

namespace Ticker.PushHub.Push;

internal static class PushHubExtensions
{
    /// <summary>The push side: fan-out from the pipeline, the WebSocket endpoint and its limits (section <c>Hub</c>).</summary>
    public static IHostApplicationBuilder AddPushHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubOptions>().BindConfiguration(HubOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.StallTimeout > TimeSpan.Zero, "Hub:StallTimeout must be positive.")
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero, "Hub:HeartbeatInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PushMetrics>();
        if (IngestMode.Read(builder.Configuration) == IngestMode.Edge)
        {
            builder.Services.AddSingleton<StreamQuoteFeed>();
            builder.Services.AddSingleton<IQuoteFeed>(sp => sp.GetRequiredService<StreamQuoteFeed>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamQuoteFeed>());
        }
        else
        {
            builder.Services.AddSingleton<IQuoteFeed, PipelineQuoteFeed>();
        }

        builder.Services.AddSingleton<FanOut>();
        builder.Services.AddSingleton<IFanOut>(sp => sp.GetRequiredService<FanOut>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FanOut>());
        builder.Services.AddSingleton<SubscriptionManager>();
        builder.Services.AddHostedService<EpochResets>();
        builder.Services.AddSingleton<WebSocketEndpoint>();
        return builder;
    }

    public static WebApplication MapPushHub(this WebApplication app)
    {
        // No protocol-level pings: the hub's own heartbeats (Hub:HeartbeatInterval) keep idle links alive
        // and expose dead ones, without a timer per socket.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/ws", (HttpContext context, WebSocketEndpoint endpoint) => endpoint.HandleAsync(context));
        return app;
    }
}
