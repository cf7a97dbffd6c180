using Microsoft.Extensions.Options;

namespace Ticker.PushHub.Identity;

/// <summary>What <c>/ws</c> checks before the upgrade: the page's origin, and a token presented with the request.</summary>
internal static class WebSocketAdmission
{
    /// <summary>The session's identity setup; null when the request was refused (403 foreign origin, 401 invalid token).</summary>
    public static async Task<WebSocketAuth?> RefuseAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<OriginPolicy>().Allows(context.Request))
        {
            PushLog.OriginRefused(services.GetRequiredService<ILogger<OriginPolicy>>(), context.Request.Headers.Origin.ToString());
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed",
                detail: "pages of this origin may not open /ws (Hub:AllowedOrigins)").ExecuteAsync(context);
            return null;
        }

        var options = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (options.Mode == AuthMode.None)
        {
            return WebSocketAuth.Open;
        }

        var caller = CallerIdentity.Of(context);
        if (caller is null && (context.Request.Query.ContainsKey("access_token") || context.Request.Headers.Authorization.Count > 0))
        {
            // A token was presented and refused: say so before the upgrade, as SignalR does.
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "the token is not valid; see docs/security.md").ExecuteAsync(context);
            return null;
        }

        return new WebSocketAuth(options, services.GetRequiredService<AccessTokenValidator>(), caller);
    }
}
