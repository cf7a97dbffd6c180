using Npgsql;

namespace Ticker.Testing;

/// <summary>
/// A PostgreSQL cluster of a test's own (under .local/), for tests that restart the server and
/// must not disturb the tests sharing the main one.
/// </summary>
public sealed class PrivateCluster(string name)
{
    public string Directory { get; } = Path.Combine(RepositoryRoot.Path, ".local", name);

    /// <summary>Starts it (initdb on first use); returns a connection string to its ticker database.</summary>
    public async Task<string> StartAsync() => (await PostgresServer.RunClusterScriptAsync("start", Directory)).Trim();

    public Task StopAsync() => PostgresServer.RunClusterScriptAsync("stop", Directory);

    /// <summary>A fresh database on this cluster, migrated.</summary>
    public async Task<string> CreateDatabaseAsync(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(await StartAsync()) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = database;
        builder.Pooling = true;
        return builder.ConnectionString;
    }

    /// <summary>Drops the database and its replication slots (which would otherwise keep WAL forever).</summary>
    public async Task DropDatabaseAsync(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(await StartAsync()) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            $"SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = '{database}' AND active_pid IS NOT NULL",
            $"SELECT pg_sleep(0.5), pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '{database}'",
            $"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
