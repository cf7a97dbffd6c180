using Microsoft.Extensions.Options;

namespace Ticker.PushHub.Identity;

/// <summary>
/// Cross-site WebSocket hijacking: a page elsewhere could open <c>/ws</c> with the visitor's network
/// position. Browsers always send Origin on an upgrade, so a foreign one is refused before the upgrade.
/// </summary>
internal sealed class OriginPolicy(IOptions<BrowserOptions> options)
{
    public bool Allows(HttpRequest request)
    {
        if (request.Headers.Origin is not [{ Length: > 0 } origin])
        {
            return request.Headers.Origin.Count == 0;
        }

        var allowed = options.Value.AllowedOrigins;
        if (allowed.Contains("*") || allowed.Any(a => string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        // The hub's own pages (the dashboard) come from the host they upgrade on.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
