using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Pipeline;

/// <summary>Picks the change source: replication where the server allows it, else LISTEN/NOTIFY, saying why once.</summary>
internal static class SourceSelector
{
    private const string CapabilitiesSql = """
        SELECT current_setting('wal_level'),
               (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user),
               EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1)
        """;

    public static async Task<ITickSource> ChooseAsync(NpgsqlDataSource dataSource, string connectionString, IngestOptions options,
        IngestMetrics metrics, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<ITickSource>();
        var notify = new NotifyTickSource(dataSource, metrics, metrics.Clock, logger);
        if (options.Source == "notify")
        {
            return notify;
        }

        var reason = await WhyNoReplicationAsync(dataSource, options, cancellationToken);
        if (reason is null)
        {
            var replication = new ReplicationTickSource(connectionString, dataSource, options, metrics, logger);
            try
            {
                await replication.PrepareAsync(cancellationToken);
                await ReplicationSlot.DropIdleLegacySlotAsync(dataSource, options, logger, cancellationToken);
                return replication;
            }
            catch (PostgresException e) when (options.Source == "auto")
            {
                reason = e.MessageText;
            }
        }

        if (options.Source == "replication")
        {
            throw new InvalidOperationException($"Ingest:Source is replication, but the server does not allow it: {reason}");
        }

        IngestLog.FallingBack(logger, reason!);
        return notify;
    }

    private static async Task<string?> WhyNoReplicationAsync(NpgsqlDataSource dataSource, IngestOptions options, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CapabilitiesSql);
        command.Parameters.Add(new() { Value = options.Publication });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetString(0) != "logical" ? $"wal_level is {reader.GetString(0)}, not logical"
            : !reader.GetBoolean(1) ? "the role has no REPLICATION privilege"
            : !reader.GetBoolean(2) ? $"publication {options.Publication} does not exist"
            : null;
    }
}
