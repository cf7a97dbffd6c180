using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Operations;

/// <summary>Readiness: the pipeline has started, its change source is connected, and it is not behind.</summary>
internal sealed class ChangeStreamHealthCheck(TickPipeline pipeline, IngestMetrics metrics, IOptions<HubOperationsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var lag = metrics.ReplicationLag;
        var data = new Dictionary<string, object> { ["source"] = pipeline.SourceName, ["lagMs"] = Math.Round(lag.TotalMilliseconds, 1) };
        var result = !pipeline.Started.IsCompletedSuccessfully ? HealthCheckResult.Unhealthy("the pipeline has not started", data: data)
            : metrics.Stream.Down is { } down ? HealthCheckResult.Unhealthy($"the change stream is not connected: {down}", data: data)
            : lag > options.Value.MaxReadyLag ? HealthCheckResult.Unhealthy($"the change stream lags {lag} behind (Hub:MaxReadyLag {options.Value.MaxReadyLag})", data: data)
            : HealthCheckResult.Healthy("the change stream is live", data);
        return Task.FromResult(result);
    }
}
