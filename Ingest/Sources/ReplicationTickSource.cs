using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>
/// Inserts into <c>ticks</c> from PostgreSQL's logical replication stream (pgoutput, binary), in
/// commit order, from this hub's durable slot. The slot's confirmed position advances only as the
/// pipeline acknowledges commits it has handed on, so a restarted hub resumes where it stopped.
/// When the connection drops it reconnects with backoff and skips what it already handed out,
/// including the part of a transaction it was inside when the connection dropped.
/// </summary>
internal sealed class ReplicationTickSource(string connectionString, IngestOptions options, IngestMetrics metrics, ILogger logger)
    : ITickSource
{

    // Commit record of the last transaction handed out, its end, and the end of the last one the
    // pipeline acknowledged. Consecutive commit records can abut, so "already handed out" is judged
    // by the commit record's own position, not by the previous transaction's end.
    private ulong _handedOutCommit;
    private ulong _handedOutEnd;
    private ulong _acknowledged;

    // The transaction being handed out, by its commit record's position, and how many of its
    // inserts went out before the connection dropped. Why count rather than hold the rows until
    // Commit: the server resends an interrupted transaction whole, decoded from the same WAL in the
    // same order, so skipping the first N inserts of the resend applies each row exactly once with
    // constant memory, and ticks still flow while a million-row import is being decoded. Holding a
    // transaction back until its Commit would cost memory in proportion to the largest import.
    private ulong _partialCommit;
    private long _partialHandedOut;
    private LogicalReplicationConnection? _connection;

    public string Name => "replication";

    /// <summary>Creates the slot if missing. Runs before the start-up snapshot so nothing falls between them.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using var connection = new LogicalReplicationConnection(connectionString);
        await connection.Open(cancellationToken);
        try
        {
            await connection.CreatePgOutputReplicationSlot(options.SlotName, temporarySlot: false,
                slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport, cancellationToken: cancellationToken);
            IngestLog.SlotCreated(logger, options.SlotName);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject)
        {
            IngestLog.SlotReused(logger, options.SlotName);
        }
    }

    public IAsyncEnumerable<SourceEvent> ReadAsync(TransactionSnapshot snapshot, CancellationToken cancellationToken) =>
        Reconnecting.ReadAsync(ct => ReadOnceAsync(snapshot, ct), Name, metrics, logger, cancellationToken);

    public void Acknowledge(ulong position)
    {
        _acknowledged = position;
        _connection?.SetReplicationStatus(new NpgsqlLogSequenceNumber(position));
    }

    private async IAsyncEnumerable<SourceEvent> ReadOnceAsync(TransactionSnapshot snapshot, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = new LogicalReplicationConnection(connectionString)
        {
            // Report the acknowledged position every second, so the slot (and WAL retention) keeps up.
            WalReceiverStatusInterval = TimeSpan.FromSeconds(1),
        };
        await connection.Open(cancellationToken);
        _connection = connection;
        if (_acknowledged > 0)
        {
            connection.SetReplicationStatus(new NpgsqlLogSequenceNumber(_acknowledged));
        }

        var slot = new PgOutputReplicationSlot(options.SlotName);
        var pgOutput = new PgOutputReplicationOptions(options.Publication, PgOutputProtocolVersion.V1, binary: true);
        NpgsqlLogSequenceNumber? resumeAt = _handedOutEnd > 0 ? new NpgsqlLogSequenceNumber(_handedOutEnd) : null;
        var rows = new TickRowDecoder();
        long xid = 0;
        var commitTime = DateTimeOffset.MinValue;
        var skipping = false;
        long inserts = 0, alreadyHandedOut = 0;
        await foreach (var message in connection.StartReplication(slot, pgOutput, cancellationToken, resumeAt))
        {
            switch (message)
            {
                case BeginMessage begin:
                    // After a reconnect the server may resend transactions this run already handed out.
                    skipping = (ulong)begin.TransactionFinalLsn <= _handedOutCommit;
                    inserts = 0;
                    alreadyHandedOut = (ulong)begin.TransactionFinalLsn == _partialCommit ? _partialHandedOut : 0;
                    if (!skipping)
                    {
                        _partialCommit = (ulong)begin.TransactionFinalLsn;
                        _partialHandedOut = alreadyHandedOut;
                    }

                    xid = snapshot.Widen(begin.TransactionXid);
                    commitTime = begin.TransactionCommitTimestamp;
                    break;
                case InsertMessage insert when !skipping:
                    if (++inserts <= alreadyHandedOut)
                    {
                        break; // handed out before the connection dropped inside this transaction
                    }

                    _partialHandedOut = inserts;
                    var (tick, error) = await rows.DecodeAsync(insert, cancellationToken);
                    if (error is null)
                    {
                        yield return SourceEvent.ForTick(tick, xid, commitTime);
                    }
                    else
                    {
                        metrics.RejectedRows.Add(1);
                        IngestLog.RowRejected(logger, xid, error);
                    }

                    break;
                case CommitMessage commit when !skipping:
                    _handedOutCommit = (ulong)commit.CommitLsn;
                    _handedOutEnd = (ulong)commit.TransactionEndLsn;
                    _partialCommit = 0;
                    _partialHandedOut = 0;
                    metrics.ObserveReplication((long)((ulong)message.WalEnd - _handedOutEnd), commit.TransactionCommitTimestamp);
                    yield return SourceEvent.ForCommit(xid, commit.TransactionCommitTimestamp, _handedOutEnd);
                    break;
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
