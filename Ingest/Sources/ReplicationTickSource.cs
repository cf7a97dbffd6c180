using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;
using Ticker.Database.ChangeFeed;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>
/// Inserts into <c>ticks</c> from PostgreSQL's logical replication stream (pgoutput, binary), in
/// commit order, from this hub's slot (<see cref="ReplicationSlot"/>). The slot's confirmed position
/// advances only as the pipeline acknowledges commits it has handed on. When the connection drops it
/// reconnects with backoff: on a durable slot it skips what it already handed out; a temporary slot
/// died with the connection, so it creates a new one and hands on the state read under the new
/// slot's snapshot (<see cref="SourceEventKind.Reload"/>), which covers whatever committed in between.
/// A durable slot's resend of a transaction interrupted by the drop skips the inserts already handed out.
/// </summary>
internal sealed class ReplicationTickSource(string connectionString, NpgsqlDataSource dataSource, IngestOptions options,
    IngestMetrics metrics, ILogger logger) : ITickSource
{
    private ReplicationSlot? _prepared;
    private bool _streamed;

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

    /// <summary>Selected by <c>Ingest:Source=replication</c>; the first choice of <c>auto</c>.</summary>
    public static TickSourceRegistration Registration { get; } = new("replication",
        (context, ct) => ReplicationSupport.WhyUnavailableAsync(context.DataSource, context.Options.Publication, ct),
        context => new ReplicationTickSource(context.ConnectionString, context.DataSource, context.Options, context.Metrics, context.Logger));

    public string Name => Registration.Name;

    public bool HoldsBacklog => true;

    /// <summary>The slot streamed from now (a temporary slot gets a new name after each reconnect).</summary>
    public string SlotName { get; private set; } = options.SlotName;

    /// <summary>
    /// Opens the slot, before the start-up state is read so nothing falls between them. Returns the
    /// snapshot to read that state under (temporary slot), or null (durable: any snapshot taken now).
    /// </summary>
    public async Task<string?> PrepareAsync(CancellationToken cancellationToken)
    {
        _prepared = await ReplicationSlot.OpenAsync(connectionString, dataSource, options, atStart: true, logger, cancellationToken);
        SlotName = _prepared.Name;
        await ReplicationSlot.DropIdleLegacySlotAsync(dataSource, options, logger, cancellationToken);
        return _prepared.SnapshotName;
    }

    /// <summary>The WAL the slot streamed from now holds back; null while it does not exist (between connections).</summary>
    public async Task<SourceBacklog?> ReadBacklogAsync(CancellationToken cancellationToken)
    {
        var slot = SlotName;
        return await ReplicationSlots.ReadRetentionAsync(dataSource, slot, cancellationToken) is { } retention
            ? new SourceBacklog(slot, retention.Bytes, retention.WalStatus, Lost: retention.WalStatus == "lost", AtRisk: retention.WalStatus == "unreserved")
            : null;
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
        var opened = _prepared ?? await ReplicationSlot.OpenAsync(connectionString, dataSource, options, atStart: false, logger, cancellationToken);
        _prepared = null;
        await using var connection = opened.Connection;
        _connection = connection;
        SlotName = opened.Name;
        metrics.Stream.MarkUp();
        if (opened.IsTemporary && _streamed)
        {
            var state = await StartupState.LoadAsync(dataSource, new TradingSession(options.SessionStartUtc), options.MaxFutureSkew,
                opened.SnapshotName, cancellationToken);
            IngestLog.StateReloaded(logger, opened.Name, state.Quotes.Count);
            yield return SourceEvent.ForReload(state);
        }
        else if (_acknowledged > 0)
        {
            connection.SetReplicationStatus(new NpgsqlLogSequenceNumber(_acknowledged));
        }

        _streamed = true;
        var slot = new PgOutputReplicationSlot(opened.Name);
        var pgOutput = new PgOutputReplicationOptions(options.Publication, PgOutputProtocolVersion.V1, binary: true);
        // A new temporary slot starts at its own consistent point; a durable one where this run stopped.
        NpgsqlLogSequenceNumber? resumeAt = _handedOutEnd > 0 && !opened.IsTemporary ? new NpgsqlLogSequenceNumber(_handedOutEnd) : null;
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

    public ValueTask DisposeAsync() => _prepared?.Connection.DisposeAsync() ?? ValueTask.CompletedTask;
}
