using Npgsql;

namespace Ticker.Database.ChangeFeed;

/// <summary>Whether this server lets the connection's role read <c>ticks</c> through logical replication.</summary>
public static class ReplicationSupport
{
    /// <summary>The publication of inserts into <c>ticks</c> that migration 0002 creates.</summary>
    public const string DefaultPublication = "ticker_ticks";

    private const string CapabilitiesSql = """
        SELECT current_setting('wal_level'),
               (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user),
               EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1)
        """;

    /// <summary>Why replication from <paramref name="publication"/> is not possible, or null when it is.</summary>
    public static async Task<string?> WhyUnavailableAsync(NpgsqlDataSource dataSource, string publication, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CapabilitiesSql);
        command.Parameters.Add(new() { Value = publication });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetString(0) != "logical" ? $"wal_level is {reader.GetString(0)}, not logical"
            : !reader.GetBoolean(1) ? "the role has no REPLICATION privilege"
            : !reader.GetBoolean(2) ? $"publication {publication} does not exist"
            : null;
    }
}
