using Dapper;
using Npgsql;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

/// <summary>
/// The replication connection dies inside a large transaction's stream: the server resends the
/// whole transaction on reconnect, and every tick must still be applied exactly once.
/// </summary>
public sealed class ReplicationInterruptTests : IAsyncLifetime
{
    private const int Rows = 300_000;
    private const int KillAfter = 50_000;
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task WalsenderTerminatedMidTransaction_EveryTickAppliedExactlyOnce()
    {
        await using var pipeline = await new PipelineHarness(_database).StartAsync();
        var received = 0;
        var terminated = false;

        // Runs on the pipeline's own thread, so the stream stands still while the walsender is
        // terminated: the rest of the transaction (and its commit) cannot have been read yet.
        using var killer = pipeline.Pipeline.Updates.Subscribe(_ =>
        {
            if (++received == KillAfter)
            {
                terminated = TerminateWalsender();
            }
        });

        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"""
                INSERT INTO ticks (symbol, ts, price, size)
                SELECT 'BIG' || (i % 3), now() - interval '1 second', 100 + i % 7, 1 + i % 5
                FROM generate_series(1, {Rows}) i
                """, commandTimeout: 300);
            // A barrier: a later transaction's tick arrives only after the big one was applied.
            await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('DONE', 1, 1)");
        }

        for (var i = 0; i < 2400 && !pipeline.Pipeline.Book.TryGet("DONE", out _); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(terminated, "the walsender was not terminated mid-transaction");
        Assert.True(pipeline.Pipeline.Book.TryGet("DONE", out _), "the barrier tick never arrived");
        await using var check = await _database.DataSource.OpenConnectionAsync();
        var truth = (await check.QueryAsync<(string Symbol, long Count, long Volume)>(
            "SELECT symbol, count(*), sum(size)::bigint FROM ticks WHERE symbol LIKE 'BIG%' GROUP BY symbol ORDER BY symbol")).ToList();
        Assert.Equal(3, truth.Count);
        foreach (var (symbol, count, volume) in truth)
        {
            Assert.True(pipeline.Pipeline.Book.TryGet(symbol, out var quote));
            Assert.Equal((symbol, count, volume), (symbol, quote.Seq, quote.Volume));
        }
    }

    private bool TerminateWalsender()
    {
        using var connection = _database.DataSource.OpenConnection();
        return connection.ExecuteScalar<bool>(
            "SELECT coalesce(bool_or(pg_terminate_backend(pid)), false) FROM pg_stat_activity WHERE backend_type = 'walsender' AND datname = current_database()");
    }
}
