using Microsoft.Extensions.Diagnostics.HealthChecks;
using NATS.Client.Core;
using Ticker.Ingest.Broker;
using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Broker;

/// <summary>
/// Readiness of a publisher: NATS is reachable, and either it stands by or, leading, its pipeline
/// runs. A standby is ready: it is what takes over.
/// </summary>
internal sealed class PublisherHealthCheck(QuotePublisher publisher, TickPipeline pipeline, NatsConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["role"] = publisher.IsLeading ? "leader" : "standby", ["lock"] = publisher.LockName };
        var result = connection.ConnectionState != NatsConnectionState.Open ? HealthCheckResult.Unhealthy("NATS is not reachable", data: data)
            : publisher.IsLeading && (!pipeline.Started.IsCompletedSuccessfully || !publisher.IsPublishing)
                ? HealthCheckResult.Unhealthy("leading; the pipeline has not started publishing yet", data: data)
            : HealthCheckResult.Healthy(publisher.IsLeading ? "leading: publishing the change stream" : "standing by", data);
        return Task.FromResult(result);
    }
}
