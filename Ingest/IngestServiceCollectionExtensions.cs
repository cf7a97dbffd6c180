using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Ticker.Database;
using Ticker.Ingest.Broker;
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
        switch (IngestMode.Read(builder.Configuration))
        {
            case IngestMode.Publisher:
                // The pipeline runs only while this process leads: the publisher starts it.
                builder.AddTickerNats();
                builder.Services.AddSingleton<QuotePublisher>();
                builder.Services.AddHostedService(sp => sp.GetRequiredService<QuotePublisher>());
                break;
            case IngestMode.Edge:
                // No slot, no write-ahead log: the push side's feed reads the stream (registered by the hub).
                builder.AddTickerNats();
                break;
            default:
                builder.Services.AddHostedService(sp => sp.GetRequiredService<TickPipeline>());
                break;
        }

        return builder;
    }

    /// <summary>The NATS connection and JetStream context of publishers and edges (section <c>Nats</c>).</summary>
    public static IHostApplicationBuilder AddTickerNats(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NatsOptions>().BindConfiguration(NatsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new NatsConnection(new NatsOpts
        {
            Url = sp.GetRequiredService<IOptions<NatsOptions>>().Value.Url,
            Name = "ticker",
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            // Keep trying for as long as the process runs: a NATS restart must not need a hub restart.
            MaxReconnectRetry = -1,
        }));
        builder.Services.AddSingleton<INatsJSContext>(sp => new NatsJSContext(sp.GetRequiredService<NatsConnection>()));
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
