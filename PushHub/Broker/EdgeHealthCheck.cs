using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ticker.PushHub.Broker;

/// <summary>Readiness of an edge hub: the stream's start-up state is loaded and NATS is reachable now.</summary>
internal sealed class EdgeHealthCheck(StreamQuoteFeed feed) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["stream"] = feed.StreamName, ["symbols"] = feed.SymbolCount, ["epoch"] = feed.Epoch };
        var result = !feed.Connected ? HealthCheckResult.Unhealthy("NATS is not reachable", data: data)
            : !feed.Started.IsCompletedSuccessfully ? HealthCheckResult.Unhealthy("the stream's start-up state is not loaded", data: data)
            : HealthCheckResult.Healthy("the stream is live", data);
        return Task.FromResult(result);
    }
}
