using Npgsql;
using Npgsql.Replication;
using Ticker.Database.ChangeFeed;
using Ticker.Database.Ticks;
using Ticker.Testing;

namespace Ticker.Database.Tests;

/// <summary>The change feed's SQL: what the sources in Ingest read <c>ticks</c>, slots and notifications through.</summary>
public sealed class ChangeFeedTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private Task AppendAsync(params Tick[] ticks) => new TickStore(_database.DataSource).AppendAsync(ticks);

    [Fact]
    public async Task WhyUnavailable_MigratedDatabase_Null_MissingPublication_NamesIt()
    {
        Assert.Null(await ReplicationSupport.WhyUnavailableAsync(_database.DataSource, ReplicationSupport.DefaultPublication, CancellationToken.None));
        Assert.Equal("publication nope does not exist",
            await ReplicationSupport.WhyUnavailableAsync(_database.DataSource, "nope", CancellationToken.None));
    }

    [Fact]
    public async Task DurableSlot_CreatedOnceReportedThenDroppedWhenIdle()
    {
        var name = $"{_database.Name}_d";
        await using (var connection = new LogicalReplicationConnection(_database.ConnectionString))
        {
            await connection.Open();
            Assert.True(await ReplicationSlots.CreateDurableAsync(connection, name, CancellationToken.None));
            Assert.False(await ReplicationSlots.CreateDurableAsync(connection, name, CancellationToken.None));
        }

        var retention = await ReplicationSlots.ReadRetentionAsync(_database.DataSource, name, CancellationToken.None);
        Assert.NotNull(retention);
        Assert.Equal("reserved", retention.Value.WalStatus);
        Assert.True(await ReplicationSlots.DropIdleAsync(_database.DataSource, name, CancellationToken.None));
        Assert.Null(await ReplicationSlots.ReadRetentionAsync(_database.DataSource, name, CancellationToken.None));
        Assert.False(await ReplicationSlots.DropIdleAsync(_database.DataSource, name, CancellationToken.None));
    }

    [Fact]
    public async Task TemporarySlot_ExportsASnapshotAndDiesWithItsConnection()
    {
        var name = $"{_database.Name}_t";
        await using (var connection = new LogicalReplicationConnection(_database.ConnectionString))
        {
            await connection.Open();
            var snapshot = await ReplicationSlots.CreateTemporaryAsync(connection, name, CancellationToken.None);

            Assert.NotEmpty(snapshot);
            Assert.NotNull(await ReplicationSlots.ReadRetentionAsync(_database.DataSource, name, CancellationToken.None));
            // A temporary slot is not idle while its connection lives: the legacy-slot cleanup leaves it be.
            Assert.False(await ReplicationSlots.DropIdleAsync(_database.DataSource, name, CancellationToken.None));
        }

        for (var i = 0; i < 1200 && await ReplicationSlots.ReadRetentionAsync(_database.DataSource, name, CancellationToken.None) is not null; i++)
        {
            await Task.Delay(50);
        }

        Assert.Null(await ReplicationSlots.ReadRetentionAsync(_database.DataSource, name, CancellationToken.None));
    }

    [Fact]
    public async Task CommittedTickReader_PagesEndedTransactionsInTxidOrder_NotOneStillRunning()
    {
        await AppendAsync(new Tick("A", T0, 1, 1), new Tick("B", T0, 2, 2));
        await AppendAsync(new Tick("A", T0.AddSeconds(1), 3, 3));
        await using var running = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await running.BeginTransactionAsync();
        long runningTxid;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO ticks (symbol, ts, price, size) VALUES ('OPEN', now(), 4, 4) RETURNING pg_current_xact_id()::text::bigint", running, transaction))
        {
            runningTxid = (long)(await insert.ExecuteScalarAsync())!;
        }

        // The horizon is the cluster's oldest running transaction: other test classes share the
        // cluster, so wait until the open one here is the oldest (their transactions are short).
        var reader = await CommittedTickReader.OpenAsync(_database.DataSource, CancellationToken.None);
        for (var attempt = 0; attempt < 300 && reader.Horizon < runningTxid; attempt++)
        {
            await reader.DisposeAsync();
            await Task.Delay(100);
            reader = await CommittedTickReader.OpenAsync(_database.DataSource, CancellationToken.None);
        }

        await using var opened = reader;
        Assert.Equal(runningTxid, reader.Horizon);
        var read = new List<TransactionTick>();
        (long Txid, long Id) cursor = (-1, long.MinValue);
        for (var page = 0; page < 10; page++)
        {
            var rows = new List<TransactionTick>();
            await foreach (var row in reader.ReadPageAsync(0, reader.Horizon, cursor.Txid, cursor.Id, limit: 1, CancellationToken.None))
            {
                rows.Add(row);
            }

            if (rows.Count == 0)
            {
                break;
            }

            read.AddRange(rows);
            cursor = (rows[^1].Txid, rows[^1].Tick.Id);
        }

        Assert.Equal([("A", 1m), ("B", 2m), ("A", 3m)], read.Select(r => (r.Tick.Symbol, r.Tick.Price)));
        Assert.Equal(read[0].Txid, read[1].Txid);
        Assert.True(read[2].Txid > read[1].Txid);
        Assert.True(reader.Horizon > read[2].Txid);
    }

    [Fact]
    public async Task SymbolStates_CountLastQuoteAndSession_WithTheSnapshotReadUnder()
    {
        await AppendAsync(new Tick("AAPL", T0, 10, 5, 9.9m, 10.1m), new Tick("AAPL", T0.AddMinutes(1), 12, 7), new Tick("MSFT", T0, 300, 1));

        var states = await SymbolStates.ReadAsync(_database.DataSource, TimeSpan.Zero, TimeSpan.FromMinutes(1), exportedSnapshot: null,
            CancellationToken.None);

        Assert.Matches("^[0-9]+:[0-9]+:", states.Snapshot);
        var aapl = Assert.Single(states.Symbols, s => s.Symbol == "AAPL");
        Assert.Equal(new SymbolState("AAPL", 2, T0.AddMinutes(1), 12, 7, 9.9m, 10.1m, 10, 12, 10, 12, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)),
            aapl);
        Assert.Equal(1, Assert.Single(states.Symbols, s => s.Symbol == "MSFT").Count);
    }

    [Fact]
    public async Task TickNotifications_InsertWakesTheListener()
    {
        await using var listener = await TickNotifications.ListenAsync(_database.DataSource, CancellationToken.None);

        await AppendAsync(new Tick("WAKE", T0, 1, 1));

        Assert.True(await listener.WaitAsync(TimeSpan.FromMinutes(1)));
    }
}
