using System.ComponentModel.DataAnnotations;

namespace Ticker.PushHub.Identity;

/// <summary>Browser-facing limits, in section <c>Hub</c> beside the push limits: WebSocket origins and the HTTP API's rate.</summary>
public sealed class BrowserOptions
{
    /// <summary>
    /// Origins (<c>https://app.example.com</c>) whose pages may open <c>/ws</c>, besides the hub's own;
    /// <c>*</c> allows any. Requests without an Origin header (not from a browser) are not affected.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    [Range(1, 100_000, ErrorMessage = "Hub:ApiRequestsPerSecond must be between 1 and 100000.")]
    public int ApiRequestsPerSecond { get; set; } = 50;

    [Range(1, 100_000, ErrorMessage = "Hub:ApiBurst must be between 1 and 100000.")]
    public int ApiBurst { get; set; } = 200;
}
