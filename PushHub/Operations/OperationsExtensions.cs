using Grpc.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

using Ticker.Ingest.Broker;
using Ticker.PushHub.Broker;

namespace Ticker.PushHub.Operations;

internal static class OperationsExtensions
{
    private const string Live = "live";
    internal const string Ready = "ready";

    /// <summary>Health (live/ready, HTTP and grpc.health.v1) and the drain on stop (section <c>Hub</c>).</summary>
    public static WebApplicationBuilder AddTickerOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubOperationsOptions>().BindConfiguration("Hub").ValidateDataAnnotations()
            .Validate(o => o.DrainTimeout > TimeSpan.Zero, "Hub:DrainTimeout must be positive.")
            .Validate(o => o.MaxReadyLag > TimeSpan.Zero, "Hub:MaxReadyLag must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DrainCoordinator>();
        builder.Services.AddSingleton<IDrainSignal>(sp => sp.GetRequiredService<DrainCoordinator>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DrainCoordinator>());
        builder.Services.Configure<global::Grpc.AspNetCore.Server.GrpcServiceOptions>(o => o.Interceptors.Add<DrainInterceptor>());
        // The host's stop must outlast the drain, or it cuts the goodbyes short.
        var drain = builder.Configuration.GetValue("Hub:DrainTimeout", TimeSpan.FromSeconds(10));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = drain + TimeSpan.FromSeconds(5));

        var checks = builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("running"), tags: [Live])
            .AddCheck<DatabaseHealthCheck>("postgresql", tags: [Ready]);
        _ = IngestMode.Read(builder.Configuration) switch
        {
            IngestMode.Publisher => checks.AddCheck<PublisherHealthCheck>("publisher", tags: [Ready]),
            IngestMode.Edge => checks.AddCheck<EdgeHealthCheck>("stream", tags: [Ready]),
            _ => checks.AddCheck<ChangeStreamHealthCheck>("change-stream", tags: [Ready]),
        };
        checks.AddCheck<DrainHealthCheck>("drain", tags: [Ready]);
        builder.Services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map("", r => r.Tags.Contains(Ready));
            o.Services.Map("ticker.v1.TickerService", r => r.Tags.Contains(Ready));
        });
        // Watch streams of grpc.health.v1 follow the publisher: every second, so a change shows within the 5 s probes expect.
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = TimeSpan.FromSeconds(1);
        });
        return builder;
    }

    /// <summary>/healthz/live, /healthz/ready (and /healthz, the same as ready) and grpc.health.v1.</summary>
    public static WebApplication MapTickerOperations(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", Options(Live));
        app.MapHealthChecks("/healthz/ready", Options(Ready));
        app.MapHealthChecks("/healthz", Options(Ready));
        app.MapGrpcHealthChecksService();
        return app;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = HealthResponseWriter.WriteAsync,
        AllowCachingResponses = false,
    };
}
