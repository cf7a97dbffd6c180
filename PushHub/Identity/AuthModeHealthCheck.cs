using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Ticker.PushHub.Identity;

/// <summary>Says in the health detail whether the hub is open to anyone (<c>Auth:Mode=none</c>).</summary>
internal sealed class AuthModeHealthCheck(IOptions<AuthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(options.Value.Mode == AuthMode.None
            ? "open: Auth:Mode=none, anyone who reaches the hub may subscribe to every symbol"
            : "jwt: every caller presents a token (Auth:Mode=jwt)"));
}
