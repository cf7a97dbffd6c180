using Dapper;
using Npgsql;
using Ticker.Database;
using Ticker.Database.Migrations;
using Ticker.Database.Ticks;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

/// <summary>
/// PostgreSQL restarts under a running pipeline (pg_ctl stop/start on a cluster of this test's
/// own, so the other tests' server stays up): the source reconnects and resumes from its slot,
/// and every committed tick arrives exactly once.
/// </summary>
public sealed class ServerRestartTests
{
    [Theory]
    [InlineData("replication")]
    [InlineData("notify")]
    public async Task ServerRestartMidStream_NothingLostNothingRepeated(string source)
    {
        var cluster = new PrivateCluster("pg-restart-test");
        var name = $"restart_{source}_{Guid.NewGuid():N}"[..30];
        var connectionString = await cluster.CreateDatabaseAsync(name);
        try
        {
            await using var dataSource = TickerDataSource.Create(connectionString);
            await new DatabaseMigrator(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            await using var pipeline = await new PipelineHarness(dataSource, connectionString, name, source).StartAsync();

            // A writer that keeps going through the restart; whatever committed is the truth.
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                var store = new TickStore(dataSource);
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    try
                    {
                        await store.AppendAsync(Enumerable.Range(0, 10).Select(i => new Tick("RSTRT", DateTimeOffset.UtcNow, 100 + batch, i)));
                    }
                    catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                    {
                        await Task.Delay(100);
                    }

                    await Task.Delay(20);
                }
            });

            await pipeline.WaitForAsync(100);
            await cluster.StopAsync();
            await Task.Delay(1000);
            await cluster.StartAsync();
            var before = pipeline.Updates.Count;
            await pipeline.WaitForAsync(before + 100, TimeSpan.FromMinutes(2));
            await stop.CancelAsync();
            await writer;

            await using var connection = await dataSource.OpenConnectionAsync();
            var committed = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ticks");
            await pipeline.WaitForAsync((int)committed);
            await Task.Delay(1000); // a double would show up by now
            Assert.Equal(Enumerable.Range(1, (int)committed).Select(i => (long)i), pipeline.Updates.Select(u => u.Seq));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.DropDatabaseAsync(name);
            await cluster.StopAsync();
        }
    }
}
