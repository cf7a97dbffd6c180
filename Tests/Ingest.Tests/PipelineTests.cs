using Dapper;
using Npgsql;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

/// <summary>The pipeline against the real cluster, in both source modes.</summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-30);
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private Task InsertAsync(string symbol, int count, int from = 0) =>
        new TickStore(_database.DataSource).AppendAsync(
            Enumerable.Range(from, count).Select(i => new Tick(symbol, T0.AddSeconds(i), 100 + i, 10)));

    private static void AssertContiguous(IEnumerable<QuoteUpdate> updates, string symbol, long first, long last) =>
        Assert.Equal(Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (long)i),
            updates.Where(u => u.Symbol == symbol).Select(u => u.Seq));

    [Theory]
    [InlineData("replication")]
    [InlineData("notify")]
    public async Task Start_RowsBeforeAndAfter_LoadedStateJoinsStreamWithoutGapOrDouble(string source)
    {
        await InsertAsync("AAPL", 10);
        await using var pipeline = await new PipelineHarness(_database, source).StartAsync();
        Assert.True(pipeline.Pipeline.Book.TryGet("AAPL", out var loaded));
        Assert.Equal((10L, 109m, 100L), (loaded.Seq, loaded.Last, loaded.Volume));

        await InsertAsync("AAPL", 5, from: 10);
        var updates = await pipeline.WaitForAsync(5);

        AssertContiguous(updates, "AAPL", 11, 15);
        Assert.True(pipeline.Pipeline.Book.TryGet("AAPL", out var quote));
        Assert.Equal((15L, 114m, 150L, 100m, 114m), (quote.Seq, quote.Last, quote.Volume, quote.Open, quote.High));
    }

    [Fact]
    public async Task Replication_ConcurrentWriters_UpdatesInCommitOrder()
    {
        await using var pipeline = await new PipelineHarness(_database).StartAsync();
        await using var first = await _database.DataSource.OpenConnectionAsync();
        await using var second = await _database.DataSource.OpenConnectionAsync();
        await using var early = await first.BeginTransactionAsync();
        await using var late = await second.BeginTransactionAsync();

        // The first writer takes the lower id but commits last: commit order wins. (Its tick is
        // stamped later too, else it would count as late history and not move the last price.)
        await first.ExecuteAsync("INSERT INTO ticks (symbol, ts, price, size) VALUES ('ORD', now() + interval '1 second', 1, 1)", transaction: early);
        await second.ExecuteAsync("INSERT INTO ticks (symbol, ts, price, size) VALUES ('ORD', now(), 2, 1)", transaction: late);
        await late.CommitAsync();
        await early.CommitAsync();
        var updates = await pipeline.WaitForAsync(2);

        Assert.Equal([(2m, 1L), (1m, 2L)], updates.Select(u => (u.Quote.Last, u.Seq)));
    }

    [Theory]
    [InlineData("replication")]
    [InlineData("notify")]
    public async Task ConcurrentWriters_EveryTickExactlyOnce(string source)
    {
        await using var pipeline = await new PipelineHarness(_database, source).StartAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                await InsertAsync($"W{w}", 50, from: batch * 50);
            }
        })));
        var updates = await pipeline.WaitForAsync(2000);

        for (var w = 0; w < 4; w++)
        {
            AssertContiguous(updates, $"W{w}", 1, 500);
        }

        Assert.Equal(2000, updates.Count);
    }

    [Fact]
    public async Task Restart_SameSlot_ResumesWithNothingLostOrRepeated()
    {
        await using (var before = await new PipelineHarness(_database).StartAsync())
        {
            await InsertAsync("RST", 100);
            await before.WaitForAsync(100);
        }

        await InsertAsync("RST", 50, from: 100);
        await using var after = await new PipelineHarness(_database).StartAsync();
        await InsertAsync("RST", 25, from: 150);
        var updates = await after.WaitForAsync(25);
        await Task.Delay(500); // anything replayed twice would arrive by now

        Assert.True(after.Pipeline.Book.TryGet("RST", out var quote));
        Assert.Equal(175, quote.Seq);
        AssertContiguous(after.Updates, "RST", 151, 175);
        Assert.Equal(25, updates.Count);
    }

    [Fact]
    public async Task ModesAgree_SameInsertsSameSequence()
    {
        await using var replication = await new PipelineHarness(_database, "replication").StartAsync();
        await using var notify = await new PipelineHarness(_database, "notify").StartAsync();

        for (var batch = 0; batch < 5; batch++)
        {
            await InsertAsync("AGR", 20, from: batch * 20);
            await InsertAsync("BGR", 7, from: batch * 7);
        }

        var fromReplication = await replication.WaitForAsync(135);
        var fromNotify = await notify.WaitForAsync(135);

        Assert.Equal(fromReplication.Select(u => u.Quote with { }), fromNotify.Select(u => u.Quote with { }));
        Assert.Equal(fromReplication.Select(u => u.Changed), fromNotify.Select(u => u.Changed));
    }

    [Theory]
    [InlineData("replication")]
    [InlineData("notify")]
    public async Task UnexpectedRows_FlowWithoutStoppingThePipeline(string source)
    {
        await using var pipeline = await new PipelineHarness(_database, source).StartAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();

        // NULL optional columns, a symbol never seen, a column the pipeline does not know, a huge batch.
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size, bid, ask) VALUES ('NEW.SYM', 5, 0, NULL, NULL)");
        await connection.ExecuteAsync("ALTER TABLE ticks ADD COLUMN venue text");
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size, venue) VALUES ('NEW.SYM', 6, 1, 'XNAS')");
        // Stamped a millisecond apart: a second apart would reach a day into the future, which the schema refuses.
        await new TickStore(_database.DataSource).AppendAsync(
            Enumerable.Range(0, 100_000).Select(i => new Tick("HUGE", T0.AddMilliseconds(i), 100 + i, 10)));
        var updates = await pipeline.WaitForAsync(100_002);

        Assert.Equal([5m, 6m], updates.Where(u => u.Symbol == "NEW.SYM").Select(u => u.Quote.Last));
        Assert.Null(updates[0].Quote.Bid);
        AssertContiguous(updates, "HUGE", 1, 100_000);
    }

    [Fact]
    public async Task Replay_RecentFromMemory_OlderCannotResume()
    {
        await using var pipeline = await new PipelineHarness(_database).StartAsync();
        await InsertAsync("RPL", 100);
        await pipeline.WaitForAsync(100);

        var recent = pipeline.Pipeline.ReplayAfter("RPL", 90);
        var current = pipeline.Pipeline.ReplayAfter("RPL", 100);

        Assert.True(recent.CanResume);
        Assert.Equal(Enumerable.Range(91, 10).Select(i => (long)i), recent.Updates.Select(u => u.Seq));
        Assert.Equal(Replay.UpToDate, current);
        Assert.False(pipeline.Pipeline.ReplayAfter("RPL", 10).CanResume); // beyond the 64 kept
        Assert.False(pipeline.Pipeline.ReplayAfter("RPL", 101).CanResume);
        Assert.False(pipeline.Pipeline.ReplayAfter("NOPE", 3).CanResume);
    }

    [Fact]
    public async Task Replication_SlotConfirmsOnlyWhatWasHandedOn()
    {
        await using var pipeline = await new PipelineHarness(_database).StartAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        // WAL is cluster-wide and other tests write too: take the position before our insert,
        // which our transaction's end is beyond and which nothing of ours confirmed yet.
        var written = await connection.ExecuteScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
        await InsertAsync("ACK", 10);
        await pipeline.WaitForAsync(10);

        // The status update goes out within a second of the acknowledgement.
        var caughtUp = false;
        for (var i = 0; i < 100 && !caughtUp; i++)
        {
            await Task.Delay(100);
            caughtUp = await connection.ExecuteScalarAsync<bool>(
                "SELECT confirmed_flush_lsn >= @written::pg_lsn FROM pg_replication_slots WHERE slot_name = @slot",
                new { written, slot = _database.Name });
        }

        Assert.True(caughtUp, "the slot never confirmed the handed-on transaction");
    }
}
