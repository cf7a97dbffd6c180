using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Ticker.Database.ChangeFeed;

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
                var snapshot = await ReplicationSlots.CreateTemporaryAsync(connection, name, cancellationToken);
                IngestLog.TemporarySlotCreated(logger, name, snapshot);
                return new ReplicationSlot(connection, name, snapshot);
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

        if (await ReplicationSlots.DropIdleAsync(dataSource, LegacyDefaultName, cancellationToken))
        {
            IngestLog.LegacySlotDropped(logger, LegacyDefaultName);
        }
    }

    private static async Task CreateOrReuseDurableAsync(LogicalReplicationConnection connection, NpgsqlDataSource dataSource, string name,
        bool atStart, ILogger logger, CancellationToken cancellationToken)
    {
        if (await ReplicationSlots.CreateDurableAsync(connection, name, cancellationToken))
        {
            IngestLog.SlotCreated(logger, name);
            return;
        }

        if (!atStart)
        {
            return;
        }

        // A durable slot streams to one connection at a time: a second hub configured with the same
        // name would wait forever behind the first. Say so at start instead.
        if (await ReplicationSlots.ActivePidAsync(dataSource, name, cancellationToken) is { } pid)
        {
            throw new InvalidOperationException(
                $"Ingest:SlotName: replication slot {name} is in use by another connection (PostgreSQL backend pid {pid}), " +
                "most likely another hub configured with the same Ingest:SlotName. Give every hub its own Ingest:SlotName, " +
                "or leave it empty so each hub uses a temporary slot of its own.");
        }

        IngestLog.SlotReused(logger, name);
    }
}
