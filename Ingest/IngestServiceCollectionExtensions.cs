using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Ticker.Ingest.Feeds.Simulated;

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
}
