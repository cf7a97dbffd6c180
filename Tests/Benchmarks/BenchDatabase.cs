using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Ticker.Database;
using Ticker.Database.Migrations;
using Ticker.Testing;

namespace Ticker.Benchmarks;

/// <summary>A fresh, migrated database for one benchmark on the local cluster, dropped afterwards.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private BenchDatabase(string name, string connectionString, NpgsqlDataSource dataSource)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = dataSource;
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<BenchDatabase> CreateAsync(string name)
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", connection).ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, CommandTimeout = 600 }.ConnectionString;
        var dataSource = TickerDataSource.Create(connectionString);
        await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        return new BenchDatabase(name, connectionString, dataSource);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs psql against this database (the reference client the figures are compared with).</summary>
    public Task<TimeSpan> PsqlAsync(string command) =>
        RunClientAsync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", command]);

    /// <summary>Runs a PostgreSQL client program against this database; returns how long it took.</summary>
    public async Task<TimeSpan> RunClientAsync(string program, IEnumerable<string> args)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var psi = new ProcessStartInfo(program,
            ["-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", Name, .. args])
        {
            RedirectStandardError = true,
        };
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        stopwatch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed: {errors}");
        }

        return stopwatch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
        await connection.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection).ExecuteNonQueryAsync();
    }
}
