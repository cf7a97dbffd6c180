using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ticker.PushHub.Operations;

/// <summary>Readiness: the hub is not draining (a stopping hub must receive no new clients).</summary>
internal sealed class DrainHealthCheck(IDrainSignal drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("draining: the hub is stopping") : HealthCheckResult.Healthy("accepting clients"));
}
