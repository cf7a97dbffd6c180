namespace Ticker.PushHub.Metrics;

internal static class MetricsEndpoint
{
    public static IHostApplicationBuilder AddPrometheusMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PrometheusMetrics>();
        return builder;
    }

    /// <summary><c>/metrics</c> in the Prometheus text format.</summary>
    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        // Created at start so that counting begins before the first scrape.
        var metrics = app.Services.GetRequiredService<PrometheusMetrics>();
        app.MapGet("/metrics", () => Results.Text(metrics.Scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }
}
