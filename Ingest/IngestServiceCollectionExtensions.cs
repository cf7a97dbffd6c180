using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Ticker.Database;
using Ticker.Ingest.Feeds.Simulated;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>Registers the feeds: the simulated feed runs when <c>Feed:Enabled</c> is true.</summary>
    public static IHostApplicationBuilder AddTickerFeeds(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedOptions>().BindConfiguration(FeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (builder.Configuration.GetValue<bool>($"{FeedOptions.Section}:{nameof(FeedOptions.Enabled)}"))
        {
            builder.Services.AddHostedService<SimulatedFeed>();
        }

        return builder;
    }

    /// <summary>Registers the pipeline from the write-ahead log to quote updates (section <c>Ingest</c>).</summary>
    public static IHostApplicationBuilder AddTickerPipeline(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        foreach (var source in TickSourceRegistration.BuiltIn)
        {
            builder.Services.AddTickSource(source);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddSingleton(sp => new TickPipeline(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString,
            sp.GetRequiredService<IOptions<IngestOptions>>().Value,
            sp.GetRequiredService<IngestMetrics>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetServices<TickSourceRegistration>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TickPipeline>());
        return builder;
    }

    /// <summary>
    /// Makes a change source selectable by its name in <c>Ingest:Source</c>. Sources registered
    /// earlier are preferred by <c>Ingest:Source=auto</c>; the built-in ones come first.
    /// </summary>
    public static IServiceCollection AddTickSource(this IServiceCollection services, TickSourceRegistration source)
    {
        services.AddSingleton(source);
        return services;
    }
}
