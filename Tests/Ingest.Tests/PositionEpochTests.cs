using Dapper;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

/// <summary>
/// Positions across retention (unchanged: seq = removed + count) and across a truncate (a new
/// epoch, which a running pipeline adopts when it next reloads its state, replacing its book whole).
/// </summary>
public sealed class PositionEpochTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql);
    }

    [Fact]
    public async Task Load_AfterRetention_SameSeqAndEpoch()
    {
        await ExecuteAsync("""
            INSERT INTO ticks (symbol, ts, price, size) SELECT 'RET', now() - interval '40 days' + i * interval '1 second', 10 + i, 1 FROM generate_series(1, 5) i;
            INSERT INTO ticks (symbol, price, size) VALUES ('RET', 20, 1), ('RET', 21, 1);
            """);
        var session = new TradingSession(TimeSpan.Zero);
        var before = await StartupState.LoadAsync(_database.DataSource, session, TimeSpan.FromMinutes(1), CancellationToken.None);

        var removed = await new TickRetention(_database.DataSource).RunAsync(DateTimeOffset.UtcNow.AddDays(-30));
        var after = await StartupState.LoadAsync(_database.DataSource, session, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(5, removed.Removed);
        Assert.Equal(7, Assert.Single(before.Quotes).Seq);
        Assert.Equal(Assert.Single(before.Quotes), Assert.Single(after.Quotes));
        Assert.Matches("^[0-9a-f]{12}$", before.Epoch);
        Assert.Equal(before.Epoch, after.Epoch);
    }

    [Fact]
    public async Task Reload_AfterTruncate_NewEpochBookReplacedAndNumberingStartsAgain()
    {
        await ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('EPA', 1, 1), ('EPA', 2, 1), ('EPA', 3, 1), ('EPB', 9, 1)");
        // A temporary slot: after its connection dies the pipeline reads its state again.
        await using var harness = await new PipelineHarness(_database.DataSource, _database.ConnectionString, "").StartAsync();
        var pipeline = harness.Pipeline;
        var first = pipeline.Epoch;
        var announced = new List<string>();
        pipeline.EpochChanged += announced.Add;

        await ExecuteAsync("TRUNCATE ticks");
        await ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('EPA', 5, 1)");
        // Streamed before any reload: the running pipeline numbers on in its own epoch.
        Assert.Equal(4, (await harness.WaitForAsync(1))[^1].Seq);
        Assert.Equal(first, pipeline.Epoch);

        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'walsender' AND datname = current_database()");
        }

        var current = await PositionEpoch.ReadAsync(_database.DataSource);
        for (var i = 0; i < 1200 && pipeline.Epoch != current; i++)
        {
            await Task.Delay(50);
        }

        await ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('EPA', 6, 1)");
        var next = (await harness.WaitForAsync(2))[^1];

        Assert.NotEqual(first, current);
        Assert.Equal(current, pipeline.Epoch);
        Assert.Equal([current], announced);
        Assert.False(pipeline.Book.TryGet("EPB", out _)); // gone with the truncate: a fresh hub does not know it either
        Assert.Equal(2, next.Seq); // as a hub started now counts: the truncate left one row, this is the second
        Assert.False(pipeline.ReplayAfter("EPA", 4).CanResume);
    }
}
