using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>
/// The fallback where logical replication is not allowed: the <c>ticks_notify</c> trigger wakes
/// it (and it polls every second regardless), and a keyed catch-up query reads every transaction
/// older than the oldest one still running (<c>txid &lt; pg_snapshot_xmin</c>). That set can never
/// grow later, so nothing is missed and nothing read twice; the price is that one long-running
/// transaction anywhere in the database holds delivery back until it ends. Ticks come in
/// transaction-id order, which equals commit order unless transactions overlap.
/// </summary>
internal sealed class NotifyTickSource(NpgsqlDataSource dataSource, IngestMetrics metrics, TimeProvider clock, ILogger logger) : ITickSource
{
    private const int PageSize = 10_000;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // Every transaction below _horizon has been handed out, and of those above it every row up to
    // (_cursorXid, _cursorId): a catch-up cut short by a lost connection resumes after that row.
    private long _horizon;
    private long _cursorXid = -1;
    private long _cursorId = long.MinValue;

    public string Name => "notify";

    public IAsyncEnumerable<SourceEvent> ReadAsync(TransactionSnapshot snapshot, CancellationToken cancellationToken)
    {
        _horizon = snapshot.Xmin;
        return Reconnecting.ReadAsync(ReadOnceAsync, Name, metrics, logger, cancellationToken);
    }

    public void Acknowledge(ulong position)
    {
        // Nothing to tell the server: the horizon lives in memory and restarts from the start-up snapshot.
    }

    private async IAsyncEnumerable<SourceEvent> ReadOnceAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var listener = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand("LISTEN ticker_ticks", listener))
        {
            // Listen before reading, so a commit between the read and the wait still wakes us.
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        metrics.Stream.MarkUp();
        while (true)
        {
            await foreach (var e in CatchUpAsync(cancellationToken))
            {
                yield return e;
            }

            await listener.WaitAsync(PollInterval, cancellationToken);
        }
    }

    private const string PageSql = """
        SELECT id, symbol, ts, price, size, bid, ask, txid FROM ticks
        WHERE txid >= $1 AND txid < $2 AND (txid, id) > ($3, $4)
        ORDER BY txid, id
        LIMIT $5
        """;

    /// <summary>Every tick of transactions in [horizon, new horizon), in pages, under one snapshot.</summary>
    private async IAsyncEnumerable<SourceEvent> CatchUpAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        long newHorizon;
        await using (var command = new NpgsqlCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint", connection, transaction))
        {
            newHorizon = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        if (newHorizon <= _horizon)
        {
            yield break;
        }

        var readTime = clock.GetUtcNow();
        var lastXid = -1L;
        var rows = PageSize;
        while (rows == PageSize)
        {
            rows = 0;
            await using var command = new NpgsqlCommand(PageSql, connection, transaction);
            command.Parameters.Add(new() { Value = _horizon });
            command.Parameters.Add(new() { Value = newHorizon });
            command.Parameters.Add(new() { Value = _cursorXid });
            command.Parameters.Add(new() { Value = _cursorId });
            command.Parameters.Add(new() { Value = PageSize });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows++;
                var xid = reader.GetInt64(7);
                if (lastXid >= 0 && xid != lastXid)
                {
                    yield return SourceEvent.ForCommit(lastXid, readTime, (ulong)lastXid);
                }

                lastXid = _cursorXid = xid;
                _cursorId = reader.GetInt64(0);
                var tick = new StoredTick(_cursorId, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), Numeric.Trim(reader.GetDecimal(3)),
                    reader.GetInt64(4), reader.IsDBNull(5) ? null : Numeric.Trim(reader.GetDecimal(5)), reader.IsDBNull(6) ? null : Numeric.Trim(reader.GetDecimal(6)));
                // The commit time is not recorded without track_commit_timestamp; the read time stands in.
                yield return SourceEvent.ForTick(tick, xid, readTime);
            }
        }

        if (lastXid >= 0)
        {
            yield return SourceEvent.ForCommit(lastXid, readTime, (ulong)lastXid);
        }

        _horizon = newHorizon;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
