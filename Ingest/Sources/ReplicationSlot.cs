using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;

namespace Ticker.Ingest.Sources;

/// <summary>
/// The slot a hub reads the write-ahead log from. By default a temporary slot with a random name,
/// created on the connection that streams from it: PostgreSQL drops it when that connection ends
/// (clean stop, kill -9, lost network alike), so nothing a hub leaves behind holds WAL, and any
/// number of identical hubs share one database. Its exported snapshot is where the start-up state
/// is read, so state and stream meet exactly. With <c>Ingest:SlotName</c> set, a durable slot of
/// that name instead, which one hub at a time may use.
/// </summary>
internal sealed class ReplicationSlot
{
    /// <summary>The slot name older versions used by default; dropped when found idle (see docs/operations.md).</summary>
    public const string LegacyDefaultName = "ticker_hub";

    private const string ActivePidSql = "SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1";

    private const string DropLegacySql = """
        SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
        WHERE slot_name = $1 AND NOT active AND NOT temporary AND plugin = 'pgoutput' AND database = current_database()
        """;

    private ReplicationSlot(LogicalReplicationConnection connection, string name, string? snapshotName)
    {
        Connection = connection;
        Name = name;
        SnapshotName = snapshotName;
    }

    /// <summary>The open replication connection; a temporary slot lives exactly as long as it.</summary>
    public LogicalReplicationConnection Connection { get; }

    public string Name { get; }

    /// <summary>The snapshot exported at the slot's consistent point (temporary slots); valid until the connection starts streaming.</summary>
    public string? SnapshotName { get; }

    public bool IsTemporary => SnapshotName is not null;

    /// <summary>
    /// Opens a replication connection and creates (or, when durable, reuses) the slot on it. At start a
    /// durable slot that another connection streams from is an error; on a reconnect it is not (the
    /// server may not have noticed yet that this hub's previous connection is gone).
    /// </summary>
    public static async Task<ReplicationSlot> OpenAsync(string connectionString, NpgsqlDataSource dataSource, IngestOptions options,
        bool atStart, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = new LogicalReplicationConnection(connectionString)
        {
            // Report the acknowledged position every second, so the slot (and WAL retention) keeps up.
            WalReceiverStatusInterval = TimeSpan.FromSeconds(1),
        };
        try
        {
            await connection.Open(cancellationToken);
            if (string.IsNullOrEmpty(options.SlotName))
            {
                // 16 random hex digits: two hubs never pick the same name on one server.
                var name = $"ticker_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
                var slot = await connection.CreatePgOutputReplicationSlot(name, temporarySlot: true,
                    slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
                IngestLog.TemporarySlotCreated(logger, name, slot.SnapshotName!);
                return new ReplicationSlot(connection, name, slot.SnapshotName);
            }

            await CreateOrReuseDurableAsync(connection, dataSource, options.SlotName, atStart, logger, cancellationToken);
            return new ReplicationSlot(connection, options.SlotName, null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drops the slot older versions created by default, when no hub uses it, so it stops holding WAL.</summary>
    public static async Task DropIdleLegacySlotAsync(NpgsqlDataSource dataSource, IngestOptions options, ILogger logger,
        CancellationToken cancellationToken)
    {
        if (options.SlotName == LegacyDefaultName)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(DropLegacySql);
        command.Parameters.Add(new() { Value = LegacyDefaultName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            IngestLog.LegacySlotDropped(logger, LegacyDefaultName);
        }
    }

    private static async Task CreateOrReuseDurableAsync(LogicalReplicationConnection connection, NpgsqlDataSource dataSource, string name,
        bool atStart, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await connection.CreatePgOutputReplicationSlot(name, temporarySlot: false,
                slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport, cancellationToken: cancellationToken);
            IngestLog.SlotCreated(logger, name);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject)
        {
        }

        if (!atStart)
        {
            return;
        }

        // A durable slot streams to one connection at a time: a second hub configured with the same
        // name would wait forever behind the first. Say so at start instead.
        await using var command = dataSource.CreateCommand(ActivePidSql);
        command.Parameters.Add(new() { Value = name });
        if (await command.ExecuteScalarAsync(cancellationToken) is int pid)
        {
            throw new InvalidOperationException(
                $"Ingest:SlotName: replication slot {name} is in use by another connection (PostgreSQL backend pid {pid}), " +
                "most likely another hub configured with the same Ingest:SlotName. Give every hub its own Ingest:SlotName, " +
                "or leave it empty so each hub uses a temporary slot of its own.");
        }

        IngestLog.SlotReused(logger, name);
    }
}
