using Dapper;
using Ticker.Database.Ticks;
using Ticker.Testing;

namespace Ticker.Database.Tests;

/// <summary>Retention (migration 0005): old ticks go, positions and the epoch stay; other rewrites start a new epoch.</summary>
public sealed class TickRetentionTests : IAsyncLifetime
{
    // To the microsecond, as PostgreSQL stores it.
    private static readonly DateTimeOffset Now = new(DateTimeOffset.UtcNow.UtcTicks / 10 * 10, TimeSpan.Zero);
    private static readonly DateTimeOffset Old = Now.AddDays(-40);
    private static readonly DateTimeOffset Cutoff = Now.AddDays(-30);
    private readonly TestDatabase _database = new();
    private TickStore _store = null!;
    private TickRetention _retention = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new TickStore(_database.DataSource);
        _retention = new TickRetention(_database.DataSource);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    // What a starting hub computes as the symbol's seq (StartupState): retained plus counted.
    private async Task<long> SeqAsync(string symbol)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM ticks WHERE symbol = @symbol) + coalesce((SELECT removed FROM tick_retention WHERE symbol = @symbol), 0)",
            new { symbol });
    }

    private async Task<long> CountAsync(string symbol)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ticks WHERE symbol = @symbol", new { symbol });
    }

    private Task<string> EpochAsync() => PositionEpoch.ReadAsync(_database.DataSource);

    private Task AppendAsync(string symbol, DateTimeOffset ts, int count) =>
        _store.AppendAsync(Enumerable.Range(0, count).Select(i => new Tick(symbol, ts.AddSeconds(i), 10 + i, 1)));

    [Fact]
    public async Task Run_OldAndNewTicks_DeletesOldOnesSeqAndEpochUnchanged()
    {
        await AppendAsync("AAPL", Old, 5);
        await AppendAsync("AAPL", Now.AddMinutes(-1), 3);
        await AppendAsync("MSFT", Now.AddMinutes(-1), 2);
        var epoch = await EpochAsync();

        var result = await _retention.RunAsync(Cutoff, batchSize: 2);

        Assert.Equal(new RetentionResult(5, 1), result);
        Assert.Equal(3, await CountAsync("AAPL"));
        Assert.Equal(8, await SeqAsync("AAPL"));
        Assert.Equal(2, await SeqAsync("MSFT"));
        Assert.Equal(epoch, await EpochAsync());
    }

    [Fact]
    public async Task Run_OnlyOldTicks_KeepsTheLatestSoTheSymbolKeepsItsQuote()
    {
        await AppendAsync("IBM", Old, 4);

        var result = await _retention.RunAsync(Cutoff);

        Assert.Equal(3, result.Removed);
        var held = (await _store.ReadPageAsync(new TickQuery("IBM"))).Ticks;
        Assert.Equal(13m, Assert.Single(held).Price); // the latest of the four
        Assert.Equal(4, await SeqAsync("IBM"));
    }

    [Fact]
    public async Task Run_Twice_CountsEachDeletedTickOnce()
    {
        await AppendAsync("TWICE", Old, 6);
        await AppendAsync("TWICE", Now.AddMinutes(-1), 1);

        var runs = await Task.WhenAll(_retention.RunAsync(Cutoff, batchSize: 1), _retention.RunAsync(Cutoff, batchSize: 1));

        Assert.Equal(6, runs.Sum(r => r.Removed));
        Assert.Equal(1, await CountAsync("TWICE"));
        Assert.Equal(7, await SeqAsync("TWICE"));
    }

    [Fact]
    public async Task Delete_NotByRetention_StartsNewEpoch()
    {
        await AppendAsync("DEL", Now.AddMinutes(-1), 3);
        var epoch = await EpochAsync();

        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(3, await connection.ExecuteAsync("DELETE FROM ticks WHERE symbol = 'DEL'"));
        }

        var after = await EpochAsync();
        Assert.NotEqual(epoch, after);
        Assert.Matches("^[0-9a-f]{12}$", after);
    }

    [Theory]
    [InlineData("TRUNCATE ticks")]
    [InlineData("UPDATE ticks SET price = price + 1")]
    public async Task Rewrite_StartsNewEpoch(string sql)
    {
        await AppendAsync("RW", Old, 3);
        await _retention.RunAsync(Cutoff);
        var epoch = await EpochAsync();

        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql);

        Assert.NotEqual(epoch, await EpochAsync());
        Assert.Equal(sql.StartsWith("TRUNCATE", StringComparison.Ordinal) ? 0 : 2,
            await connection.ExecuteScalarAsync<long>("SELECT coalesce(sum(removed), 0) FROM tick_retention"));
    }

    [Fact]
    public async Task Delete_NothingMatched_EpochUnchanged()
    {
        var epoch = await EpochAsync();

        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM ticks WHERE symbol = 'NONE'");
        }

        Assert.Equal(epoch, await EpochAsync());
    }

    [Fact]
    public async Task Rotate_ByHand_NewEpochWithReason()
    {
        var epoch = await EpochAsync();

        var rotated = await PositionEpoch.RotateAsync(_database.DataSource, "restored a backup");

        Assert.NotEqual(epoch, rotated);
        Assert.Equal(rotated, await EpochAsync());
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        Assert.Equal("restored a backup", await connection.ExecuteScalarAsync<string>("SELECT reason FROM ticker_epoch"));
    }

    [Fact]
    public async Task ReadPage_OldestFirstCursorIntoDeletedTicks_CursorGone()
    {
        await AppendAsync("CUR", Old, 6);
        await AppendAsync("CUR", Now.AddMinutes(-1), 2);
        var first = await _store.ReadPageAsync(new TickQuery("CUR", 2));

        await _retention.RunAsync(Cutoff);

        var gone = await Assert.ThrowsAsync<CursorGoneException>(() => _store.ReadPageAsync(new TickQuery("CUR", 2) { After = first.Next }));
        Assert.Equal(first.Next, gone.After);
        Assert.Equal(Old.AddSeconds(5), gone.RemovedThrough.Ts);
        // Started again without the cursor, the walk begins at the earliest tick still held.
        var again = await _store.ReadPageAsync(new TickQuery("CUR", 2));
        Assert.Equal(Now.AddMinutes(-1), again.Ticks[0].Ts);
    }

    [Fact]
    public async Task ReadPage_CursorsNotCrossingDeletedTicks_Continue()
    {
        await AppendAsync("KEEP", Old, 3);
        await AppendAsync("KEEP", Now.AddMinutes(-1), 4);
        await _retention.RunAsync(Cutoff);

        // Oldest first from a cursor after everything deleted, newest first anywhere: no gap, no error.
        var oldest = await _store.ReadPageAsync(new TickQuery("KEEP", 2));
        var next = await _store.ReadPageAsync(new TickQuery("KEEP", 2) { After = oldest.Next });
        var newest = await _store.ReadPageAsync(new TickQuery("KEEP", 3) { NewestFirst = true });
        var end = await _store.ReadPageAsync(new TickQuery("KEEP", 3) { NewestFirst = true, After = newest.Next });
        // A range that starts after what was deleted is untouched by it.
        var ranged = await _store.ReadPageAsync(new TickQuery("KEEP", 1) { From = Cutoff, After = new TickCursor(Cutoff, 0) });

        Assert.Equal(2, next.Ticks.Count);
        Assert.Single(end.Ticks);
        Assert.Single(ranged.Ticks);
    }

    [Theory]
    [InlineData("30d", 720.0)]
    [InlineData("12h", 12.0)]
    [InlineData("90m", 1.5)]
    [InlineData("1.5d", 36.0)]
    [InlineData("2.00:00:00", 48.0)]
    public void TryParseAge_Valid_Hours(string text, double hours)
    {
        Assert.True(RetentionCommand.TryParseAge(text, out var age));
        Assert.Equal(hours, age.TotalHours, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0d")]
    [InlineData("-3d")]
    [InlineData("3w")]
    [InlineData("d")]
    [InlineData("99999999999999d")]
    public void TryParseAge_Invalid_False(string text) => Assert.False(RetentionCommand.TryParseAge(text, out _));

    [Theory]
    [InlineData("")]
    [InlineData("--older-than")]
    [InlineData("--older-than soon")]
    [InlineData("--before yesterday")]
    [InlineData("--older-than 30d --batch-size 0")]
    [InlineData("--keep 30d")]
    public async Task Command_BadArguments_UsageAndExitCode2(string line)
    {
        var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        using var output = new StringWriter();

        var code = await RetentionCommand.RunAsync(args, _database.DataSource, TimeProvider.System, output);

        Assert.Equal(2, code);
        Assert.Contains("usage: retention", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_OlderThan_ReportsWhatItDeleted()
    {
        await AppendAsync("CMD", Old, 3);
        await AppendAsync("CMD", Now.AddMinutes(-1), 1);
        using var output = new StringWriter();

        var code = await RetentionCommand.RunAsync(["--older-than", "30d"], _database.DataSource, TimeProvider.System, output);

        Assert.Equal(0, code);
        Assert.Contains("CMD: deleted 3 ticks", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("retention: deleted 3 ticks", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EpochCommand_PrintsAndRotates()
    {
        using var shown = new StringWriter();
        using var rotated = new StringWriter();

        Assert.Equal(0, await EpochCommand.RunAsync([], _database.DataSource, shown));
        Assert.Equal(0, await EpochCommand.RunAsync(["--rotate", "test"], _database.DataSource, rotated));
        Assert.Equal(2, await EpochCommand.RunAsync(["--rotate"], _database.DataSource, new StringWriter()));

        Assert.DoesNotContain(shown.ToString().Trim(), rotated.ToString(), StringComparison.Ordinal);
        Assert.Contains(await EpochAsync(), rotated.ToString(), StringComparison.Ordinal);
    }
}
