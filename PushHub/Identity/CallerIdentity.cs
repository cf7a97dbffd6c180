using Microsoft.Extensions.Options;

namespace Ticker.PushHub.Identity;

/// <summary>The one place an HTTP or gRPC request's entitlements come from (the WebSocket adds its <c>auth</c> message).</summary>
internal static class CallerIdentity
{
    private const string Key = "Ticker.Entitlements";

    /// <summary>The caller's entitlements; null in <c>jwt</c> mode when no valid bearer token came with the request.</summary>
    public static Entitlements? Of(HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var cached))
        {
            return (Entitlements?)cached;
        }

        var mode = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Mode;
        var entitlements = mode == AuthMode.None ? Entitlements.Anonymous
            : context.User.Identity?.IsAuthenticated == true ? Entitlements.FromPrincipal(context.User)
            : null;
        context.Items[Key] = entitlements;
        return entitlements;
    }

    /// <summary>Whom the API rate limit counts: the token's subject, else the client address.</summary>
    public static string RateLimitKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirst("sub")?.Value is { Length: > 0 } sub
            ? "sub:" + sub
            : "ip:" + context.Connection.RemoteIpAddress;
}
