using Dapper;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

/// <summary>
/// Rows stored before the schema refused impossible time stamps (migration 0003) must neither
/// freeze a symbol nor stop the pipeline: at start-up or streamed.
/// </summary>
public sealed class ImplausibleTimestampTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        // The state of a database that took such rows before the bounds existed.
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("ALTER TABLE ticks DROP CONSTRAINT ticks_ts_sane; DROP TRIGGER ticks_ts_not_future ON ticks");
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task InsertAsync(string sql)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql);
    }

    [Fact]
    public async Task FutureYearOneAndInfiniteTicks_NeitherFreezeNorStopTheSymbol()
    {
        await InsertAsync("""
            INSERT INTO ticks (symbol, ts, price, size) VALUES
                ('FUT', now() - interval '1 minute', 100, 1),
                ('FUT', now() + interval '1 year', 999, 1),
                ('FUT', 'infinity', 998, 1)
            """);
        // A session start other than midnight: year 1 minus it is before the calendar begins.
        await using var pipeline = await new PipelineHarness(_database, o => o.SessionStartUtc = TimeSpan.FromHours(9.5)).StartAsync();
        Assert.True(pipeline.Pipeline.Book.TryGet("FUT", out var loaded));
        Assert.Equal((3L, 100m), (loaded.Seq, loaded.Last));

        await InsertAsync("INSERT INTO ticks (symbol, ts, price, size) VALUES ('FUT', '0001-01-01 00:00:00+00', 5, 1)");
        await InsertAsync("INSERT INTO ticks (symbol, ts, price, size) VALUES ('FUT', '-infinity', 6, 1)");
        await InsertAsync("INSERT INTO ticks (symbol, ts, price, size) VALUES ('FUT', now() + interval '1 day', 7, 1)");
        await InsertAsync("INSERT INTO ticks (symbol, ts, price, size) VALUES ('FUT', now(), 101, 1)");
        await pipeline.WaitForAsync(4);

        Assert.True(pipeline.Pipeline.Book.TryGet("FUT", out var quote));
        Assert.Equal((7L, 101m), (quote.Seq, quote.Last));
    }

    [Fact]
    public async Task OnlyImplausibleTicks_SymbolStillFollowsRealOnes()
    {
        await using var pipeline = await new PipelineHarness(_database).StartAsync();

        await InsertAsync("INSERT INTO ticks (symbol, ts, price, size) VALUES ('ONLY', now() + interval '10 years', 50, 1)");
        await InsertAsync("INSERT INTO ticks (symbol, ts, price, size) VALUES ('ONLY', now(), 51, 1)");
        await pipeline.WaitForAsync(2);

        Assert.True(pipeline.Pipeline.Book.TryGet("ONLY", out var quote));
        Assert.Equal((2L, 51m), (quote.Seq, quote.Last));
    }
}
