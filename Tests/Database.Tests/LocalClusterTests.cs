using Npgsql;
using Ticker.Testing;

namespace Ticker.Database.Tests;

/// <summary>
/// <c>make db-stop</c> and <c>make db-reset</c> (local-cluster.sh drop-slots / reset) leave no
/// replication slot behind to hold WAL — on a cluster of this test's own.
/// </summary>
public sealed class LocalClusterTests
{
    [Fact]
    public async Task DropSlotsAndReset_LeaveNoReplicationSlot()
    {
        var cluster = new PrivateCluster("pg-slots-test");
        var connectionString = new NpgsqlConnectionStringBuilder(await cluster.StartAsync()) { Pooling = false }.ConnectionString;
        try
        {
            await CreateSlotAsync(connectionString, "left_by_a_hub");
            await PostgresServer.RunClusterScriptAsync("drop-slots", cluster.Directory);
            Assert.Equal(0, await CountSlotsAsync(connectionString));

            await CreateSlotAsync(connectionString, "left_again");
            await PostgresServer.RunClusterScriptAsync("reset", cluster.Directory);
            Assert.Equal(0, await CountSlotsAsync(connectionString));
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    private static async Task CreateSlotAsync(string connectionString, string name)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_create_logical_replication_slot('{name}', 'pgoutput')", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountSlotsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_replication_slots", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
