using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ticker.Database.Reference;
using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Simulated;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

public sealed class SimulatedFeedTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Run_WithSeed_WritesTheGeneratorsTicksToPostgres()
    {
        var options = new FeedOptions { Enabled = true, Symbols = 20, TicksPerSecond = 2000, BatchSize = 50, Seed = 99 };
        using var feed = new SimulatedFeed(new TickStore(database.DataSource), new SymbolDirectory(database.DataSource), Options.Create(options), TimeProvider.System,
            NullLogger<SimulatedFeed>.Instance);

        await feed.StartAsync(CancellationToken.None);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        long count = 0;
        for (var attempt = 0; attempt < 200 && count < 500; attempt++)
        {
            await Task.Delay(50);
            count = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ticks");
        }

        await feed.StopAsync(CancellationToken.None);

        Assert.True(count >= 500, $"only {count} ticks arrived");
        var symbols = await connection.QueryAsync<string>("SELECT DISTINCT symbol FROM ticks");
        Assert.Subset(new TickGenerator(20, 99).Symbols.ToHashSet(), symbols.ToHashSet());
        // The feed names its tickers in the symbol directory before writing their ticks.
        Assert.Empty(await new SymbolDirectory(database.DataSource).MissingAsync(new TickGenerator(20, 99).Symbols));
    }

    [Fact]
    public void Options_OutOfRange_FailValidationNamingTheSetting()
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new FeedOptions { Symbols = 0, TicksPerSecond = 5_000_000, BatchSize = 0 };

        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.Equal(
            ["Feed:BatchSize must be between 1 and 10000.", "Feed:Symbols must be between 1 and 100000.", "Feed:TicksPerSecond must be between 1 and 1000000."],
            results.Select(r => r.ErrorMessage).Order(StringComparer.Ordinal));
    }
}
