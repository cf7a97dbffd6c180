using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Database.Reference;
using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Csv;

namespace Ticker.Ingest.Feeds.Simulated;

/// <summary>
/// Writes generated ticks to PostgreSQL at the configured rate, in batches of binary COPY. It is a
/// feed like any other: it knows nothing of the pipeline that reads the table.
/// </summary>
internal sealed class SimulatedFeed(TickStore store, SymbolDirectory directory, IOptions<FeedOptions> options, TimeProvider clock, ILogger<SimulatedFeed> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var seed = settings.Seed ?? Random.Shared.Next();
        var generator = new TickGenerator(settings.Symbols, seed);
        IngestLog.FeedStarted(logger, settings.Symbols, settings.TicksPerSecond, seed);
        await AddShippedSymbolsAsync(stoppingToken);

        var batch = new List<Tick>(settings.BatchSize);
        var started = clock.GetTimestamp();
        long sent = 0;
        var retryDelay = TimeSpan.FromMilliseconds(100);
        using var timer = new PeriodicTimer(Period, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var due = (long)(clock.GetElapsedTime(started).TotalSeconds * settings.TicksPerSecond) - sent;
            if (due > settings.TicksPerSecond)
            {
                // More than a second behind (the database was away): resume at the rate, don't flood.
                IngestLog.FeedBehind(logger, due);
                sent += due - settings.BatchSize;
                due = settings.BatchSize;
            }

            try
            {
                while (due > 0)
                {
                    batch.Clear();
                    for (var i = 0; i < Math.Min(due, settings.BatchSize); i++)
                    {
                        batch.Add(generator.Next(clock.GetUtcNow()));
                    }

                    await store.AppendAsync(batch, stoppingToken);
                    sent += batch.Count;
                    due -= batch.Count;
                }

                retryDelay = TimeSpan.FromMilliseconds(100);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                IngestLog.FeedWriteFailed(logger, e, retryDelay);
                await Task.Delay(retryDelay, clock, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Names for the simulated tickers in the symbol directory; reference data never stops a feed.</summary>
    private async Task AddShippedSymbolsAsync(CancellationToken stoppingToken)
    {
        try
        {
            IngestLog.ShippedSymbolsAdded(logger, await new SymbolImporter(directory).AddShippedAsync(stoppingToken));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
        {
            IngestLog.ShippedSymbolsFailed(logger, e);
        }
    }
}
