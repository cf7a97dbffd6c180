using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;

namespace Ticker.Database.ChangeFeed;

/// <summary>
/// The logical replication slots (pgoutput) that hubs read <c>ticks</c> through: created on a
/// replication connection, inspected and dropped through ordinary SQL. Which slot a hub uses, and
/// when, is the hub's policy (Ingest); this is only how each step is said to PostgreSQL.
/// </summary>
public static class ReplicationSlots
{
    private const string ActivePidSql = "SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1";

    private const string DropIdleSql = """
        SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
        WHERE slot_name = $1 AND NOT active AND NOT temporary AND plugin = 'pgoutput' AND database = current_database()
        """;

    private const string RetainedSql = """
        SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, coalesce(wal_status, 'unknown')
        FROM pg_replication_slots WHERE slot_name = $1
        """;

    /// <summary>
    /// Creates a temporary slot on <paramref name="connection"/>, which PostgreSQL drops when that
    /// connection ends; returns the snapshot it exports at its consistent point (valid until the
    /// connection starts streaming).
    /// </summary>
    public static async Task<string> CreateTemporaryAsync(LogicalReplicationConnection connection, string name, CancellationToken cancellationToken)
    {
        var slot = await connection.CreatePgOutputReplicationSlot(name, temporarySlot: true,
            slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
        return slot.SnapshotName!;
    }

    /// <summary>Creates a durable slot unless one of that name exists; true when it was created now.</summary>
    public static async Task<bool> CreateDurableAsync(LogicalReplicationConnection connection, string name, CancellationToken cancellationToken)
    {
        try
        {
            await connection.CreatePgOutputReplicationSlot(name, temporarySlot: false,
                slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport, cancellationToken: cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject)
        {
            return false;
        }
    }

    /// <summary>The PostgreSQL backend that streams from the slot now, or null when none does (or there is no such slot).</summary>
    public static async Task<int?> ActivePidAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ActivePidSql);
        command.Parameters.Add(new() { Value = name });
        return await command.ExecuteScalarAsync(cancellationToken) is int pid ? pid : null;
    }

    /// <summary>Drops the durable pgoutput slot of this database by that name if nobody streams from it; true when dropped.</summary>
    public static async Task<bool> DropIdleAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DropIdleSql);
        command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken);
    }

    /// <summary>How much WAL the slot holds back and the server's <c>wal_status</c> of it, or null when there is no such slot.</summary>
    public static async Task<SlotRetention?> ReadRetentionAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RetainedSql);
        command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new SlotRetention(reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.GetString(1));
    }
}
