using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;
using Ticker.Database;
using Ticker.Database.Migrations;

namespace Ticker.Testing;

/// <summary>
/// A fresh database of its own for one test class, on the real server: test runs and classes
/// running at the same time never see each other's rows. Dropped at the end.
/// </summary>
public class TestDatabase : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public string Name { get; } = $"ticker_test_{Guid.NewGuid():N}"[..28];

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("not initialized");

    /// <summary>Whether the schema migrations run when the database is created.</summary>
    protected virtual bool Migrate => true;

    public async Task InitializeAsync()
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name, Pooling = true }.ConnectionString;
        _dataSource = TickerDataSource.Create(ConnectionString);
        if (Migrate)
        {
            await new DatabaseMigrator(_dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
        await connection.OpenAsync();
        // Replication slots outlive connections and would block the drop: end their readers, drop them.
        await using (var slots = new NpgsqlCommand(
            "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL", connection))
        {
            slots.Parameters.Add(new() { Value = Name });
            await slots.ExecuteNonQueryAsync();
        }

        await using (var slots = new NpgsqlCommand(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1", connection))
        {
            slots.Parameters.Add(new() { Value = Name });
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await slots.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
                {
                    await Task.Delay(100); // the terminated reader has not exited yet
                }
            }
        }

        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A fresh, empty database with no schema: for testing the migrations themselves.</summary>
public sealed class EmptyTestDatabase : TestDatabase
{
    protected override bool Migrate => false;
}
