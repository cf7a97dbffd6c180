using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Ticker.Database;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;
using Ticker.PushHub.WebRtc;

namespace Ticker.PushHub.Metrics;

/// <summary>
/// Metrics and traces through OpenTelemetry: Ticker's own meters, the runtime's, ASP.NET Core's
/// and Kestrel's, gRPC's and Npgsql's, scraped as Prometheus text at <c>/metrics</c>, and sent by
/// OTLP (metrics, traces, logs) when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class TelemetryExtensions
{
    // Latencies in ms from a tenth of a millisecond (loopback) to seconds (a stalled client).
    private static readonly double[] MillisecondBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

    private static readonly string[] Meters =
    [
        IngestMetrics.MeterName, PushMetrics.MeterName, WebRtcMetrics.MeterName, "Ticker.TurnRelay",
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
        "Grpc.AspNetCore.Server", "Npgsql",
    ];

    public static WebApplicationBuilder AddTickerTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ticker-hub"))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddRuntimeInstrumentation()
                .AddView(instrument => instrument is Histogram<double> && instrument.Meter.Name.StartsWith("Ticker.", StringComparison.Ordinal) && instrument.Unit == "ms"
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = MillisecondBuckets }
                    : null)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(DatabaseActivity.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddNpgsql());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary><c>/metrics</c> in the Prometheus text format.</summary>
    public static WebApplication MapTickerTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    // Probes and scrapes every few seconds would drown the traces that matter.
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics");
}
