using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ticker.Database.Migrations;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> files in order, each once, each in its own
/// transaction, recorded in <c>schema_migrations</c>. A session-level advisory lock makes hubs
/// that start together take turns: the second finds the work done.
/// </summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
{
    // "TICKER" in ASCII: an application-wide key no other advisory lock user is likely to pick.
    private const long AdvisoryLockKey = 0x5449434B4552;

    private const string CreateHistorySql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    text        PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    /// <summary>The migrations shipped in this assembly, in the order they apply.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>Brings the schema up to date; returns the versions this call applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@AdvisoryLockKey)",
            new { AdvisoryLockKey }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateHistorySql, cancellationToken: cancellationToken));
            var done = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT version FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet();

            var applied = new List<string>();
            foreach (var migration in Embedded.Where(m => !done.Contains(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                applied.Add(migration.Version);
            }

            DatabaseLog.SchemaCurrent(logger, applied.Count, Embedded.Count);
            return applied;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@AdvisoryLockKey)", new { AdvisoryLockKey });
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("INSERT INTO schema_migrations (version) VALUES (@Version)",
            new { migration.Version }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        DatabaseLog.MigrationApplied(logger, migration.Version);
        // A migration may create types; cached type information must be reloaded.
        await connection.ReloadTypesAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new Migration(Path.GetFileNameWithoutExtension(n["Migrations/".Length..]), reader.ReadToEnd());
            })
            .ToList();
    }
}

/// <summary>One versioned schema change: its version is its file name, e.g. <c>0001_ticks</c>.</summary>
public sealed record Migration(string Version, string Sql);
