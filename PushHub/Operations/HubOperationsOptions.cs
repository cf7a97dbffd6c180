using System.ComponentModel.DataAnnotations;

namespace Ticker.PushHub.Operations;

/// <summary>The operational settings of section <c>Hub</c>: readiness, drain, proxies.</summary>
public sealed class HubOperationsOptions
{
    /// <summary>How long a stopping hub gives its clients to leave before it exits.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Above this age of the last transaction handed on, the hub is not ready.</summary>
    public TimeSpan MaxReadyLag { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto headers are believed.</summary>
    [MaxLength(100, ErrorMessage = "Hub:KnownProxies holds at most 100 addresses.")]
    public string[] KnownProxies { get; set; } = [];
}
