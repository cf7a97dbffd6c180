using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ticker.PushHub.Identity;

internal static class IdentityExtensions
{
    /// <summary>Who may do what (section <c>Auth</c>), the WebSocket origin allow-list and the HTTP API's rate limit (section <c>Hub</c>).</summary>
    public static IHostApplicationBuilder AddTickerIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddOptions<BrowserOptions>().BindConfiguration("Hub").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<AccessTokenValidator>();
        // Registered in both modes (cheap); only jwt mode runs it (UseTickerIdentity).
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.ConfigureOptions<JwtBearerSetup>();
        services.AddHealthChecks().AddCheck<AuthModeHealthCheck>("auth", tags: [Operations.OperationsExtensions.Ready]);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<BrowserOptions>>((limiter, browser) =>
        {
            var limits = browser.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/api")
                    ? RateLimitPartition.GetTokenBucketLimiter(CallerIdentity.RateLimitKey(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.ApiBurst,
                        TokensPerPeriod = limits.ApiRequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = RejectAsync;
        });
        return builder;
    }

    public static WebApplication UseTickerIdentity(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.Mode == AuthMode.Jwt)
        {
            app.UseAuthentication();
        }

        app.UseRateLimiter();
        // So a page (the dashboard) knows whether to ask for a token before it opens /ws.
        app.MapGet("/api/auth-mode", () => Results.Ok(new { mode = auth.Mode == AuthMode.Jwt ? "jwt" : "none" }));
        return app;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"the HTTP API allows each caller a limited rate (Hub:ApiRequestsPerSecond); retry after {seconds} s").ExecuteAsync(context);
    }
}
