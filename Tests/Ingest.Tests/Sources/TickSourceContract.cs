using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Ticker.Database;
using Ticker.Database.Migrations;
using Ticker.Database.Ticks;
using Ticker.Ingest.Sources;
using Ticker.Testing;

namespace Ticker.Ingest.Tests.Sources;

/// <summary>
/// What every change source must do, against the real server: each symbol's ticks in order with
/// no gap and no double from the start-up state on; the same after the source is disposed and a
/// new one starts from where it stood; the same through a PostgreSQL restart. A new source gets a
/// subclass naming its registration (see <see cref="NotifyContractTests"/>).
/// </summary>
public abstract class TickSourceContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-30);
    private readonly TestDatabase _database = new();

    /// <summary>The source under test.</summary>
    protected abstract TickSourceRegistration Registration { get; }

    /// <summary>The settings it runs under; <paramref name="database"/> is unique per test (e.g. for a durable slot's name).</summary>
    protected virtual IngestOptions Options(string database) => new() { Source = Registration.Name };

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private Task<SourceRun> StartAsync() =>
        SourceRun.StartAsync(Registration, _database.DataSource, _database.ConnectionString, Options(_database.Name));

    private static Task InsertAsync(NpgsqlDataSource dataSource, string symbol, int count, int from = 0) =>
        new TickStore(dataSource).AppendAsync(Enumerable.Range(from, count).Select(i => new Tick(symbol, T0.AddMilliseconds(i), 100 + i, 1 + i % 5)));

    [Fact]
    public async Task Read_ConcurrentWriters_EachSymbolInOrderWithNoGapAndNoDouble()
    {
        await InsertAsync(_database.DataSource, "PRE", 10);
        await using var run = await StartAsync();
        Assert.Equal(10, run.Count("PRE"));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var batch = 0; batch < 20; batch++)
            {
                await InsertAsync(_database.DataSource, $"W{w}", 25, from: batch * 25);
            }
        })));
        // One transaction across symbols, and one big enough to be decoded in many pieces.
        await new TickStore(_database.DataSource).AppendAsync([new Tick("PRE", T0, 1, 1), new Tick("MIX", T0, 2, 2)]);
        await InsertAsync(_database.DataSource, "BIG", 20_000);
        await run.BarrierAsync(_database.DataSource, "BARRIER");

        Assert.Equal(500, run.Count("W0"));
        Assert.Equal(11, run.Count("PRE"));
        await run.AssertMatchesTableAsync(_database.DataSource);
    }

    [Fact]
    public async Task Restart_DisposedThenStartedAgain_ResumesWithNoGapAndNoDouble()
    {
        IReadOnlyCollection<long> first;
        await using (var before = await StartAsync())
        {
            for (var batch = 0; batch < 5; batch++)
            {
                await InsertAsync(_database.DataSource, "RST", 20, from: batch * 20);
            }

            await before.BarrierAsync(_database.DataSource, "BARRIER.A");
            await before.AssertMatchesTableAsync(_database.DataSource);
            first = before.DeliveredIds;
        }

        await InsertAsync(_database.DataSource, "RST", 50, from: 100);
        await using var after = await StartAsync();
        await InsertAsync(_database.DataSource, "RST", 25, from: 150);
        await after.BarrierAsync(_database.DataSource, "BARRIER.B");

        Assert.Equal(175, after.Count("RST"));
        await after.AssertMatchesTableAsync(_database.DataSource);
        Assert.Empty(first.Intersect(after.DeliveredIds));
    }

    [Fact]
    public async Task Backlog_WhileRunning_ReportedExactlyWhenTheServerHoldsOne()
    {
        await using var run = await StartAsync();
        await InsertAsync(_database.DataSource, "LAG", 10);
        await run.BarrierAsync(_database.DataSource, "BARRIER");

        var backlog = await run.Source.ReadBacklogAsync(CancellationToken.None);

        Assert.Equal(run.Source.HoldsBacklog, backlog is not null);
        if (backlog is { } held)
        {
            Assert.NotEmpty(held.Holder);
            Assert.InRange(held.Bytes, 0, long.MaxValue);
            Assert.False(held.Lost);
        }
    }

    [Fact]
    public async Task ServerRestart_MidStream_NothingLostNothingRepeated()
    {
        var cluster = new PrivateCluster("pg-restart-test");
        var name = $"contract_{Guid.NewGuid():N}"[..30];
        var connectionString = await cluster.CreateDatabaseAsync(name);
        try
        {
            await using var dataSource = TickerDataSource.Create(connectionString);
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            await using var run = await SourceRun.StartAsync(Registration, dataSource, connectionString, Options(name));

            // A writer that keeps going through the restart; whatever committed is the truth.
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    try
                    {
                        await InsertAsync(dataSource, "RSTRT", 10, from: batch * 10);
                    }
                    catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                    {
                        await Task.Delay(100);
                    }

                    await Task.Delay(20);
                }
            });

            await run.WaitForAsync("RSTRT", 100);
            await cluster.StopAsync();
            await Task.Delay(1000);
            await cluster.StartAsync();
            await run.WaitForAsync("RSTRT", run.Count("RSTRT") + 100);
            await stop.CancelAsync();
            await writer;

            await run.BarrierAsync(dataSource, "BARRIER");
            await run.AssertMatchesTableAsync(dataSource);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.DropDatabaseAsync(name);
            await cluster.StopAsync();
        }
    }
}
