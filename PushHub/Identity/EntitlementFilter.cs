namespace Ticker.PushHub.Identity;

/// <summary>
/// HTTP API admission: 401 without a valid bearer token (jwt mode), 403 without the scope or for a
/// <c>symbol</c>/<c>symbols</c> (query, or a <c>{symbol}</c> route value) the token does not cover — problem documents naming what is missing.
/// </summary>
internal static class EntitlementFilter
{
    public static TBuilder RequireEntitlement<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (CallerIdentity.Of(http) is not { } caller)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                    detail: "a valid bearer token is required (Authorization: Bearer ...); see docs/security.md");
            }

            if (!caller.Has(scope))
            {
                return Forbidden($"the token does not carry the \"{scope}\" scope");
            }

            var requested = http.Request.Query["symbol"].Concat(http.Request.Query["symbols"])
                .Append(http.Request.RouteValues.TryGetValue("symbol", out var routed) ? routed as string : null)
                .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return caller.FirstRefused(requested) is { } refused
                ? Forbidden($"{refused}: not among the symbols the token allows")
                : await next(context);
        });

    private static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);
}
