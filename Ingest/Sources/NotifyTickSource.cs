using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Database.ChangeFeed;
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

    /// <summary>Selected by <c>Ingest:Source=notify</c>; what <c>auto</c> falls back to. Any server allows it.</summary>
    public static TickSourceRegistration Registration { get; } = new("notify",
        (_, _) => Task.FromResult<string?>(null),
        context => new NotifyTickSource(context.DataSource, context.Metrics, context.Metrics.Clock, context.Logger));

    public string Name => Registration.Name;

    /// <summary>The server keeps nothing for it: the horizon lives in memory and restarts from the start-up snapshot.</summary>
    public bool HoldsBacklog => false;

    /// <summary>Nothing to open first: the catch-up reads from whatever snapshot the start-up state was read under.</summary>
    public Task<string?> PrepareAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public IAsyncEnumerable<SourceEvent> ReadAsync(TransactionSnapshot snapshot, CancellationToken cancellationToken)
    {
        _horizon = snapshot.Xmin;
        return Reconnecting.ReadAsync(ReadOnceAsync, Name, metrics, logger, cancellationToken);
    }

    public void Acknowledge(ulong position)
    {
        // Nothing to tell the server: the horizon lives in memory and restarts from the start-up snapshot.
    }

    public Task<SourceBacklog?> ReadBacklogAsync(CancellationToken cancellationToken) => Task.FromResult<SourceBacklog?>(null);

    private async IAsyncEnumerable<SourceEvent> ReadOnceAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var listener = await TickNotifications.ListenAsync(dataSource, cancellationToken);
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

    /// <summary>Every tick of transactions in [horizon, new horizon), in pages, under one snapshot.</summary>
    private async IAsyncEnumerable<SourceEvent> CatchUpAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await CommittedTickReader.OpenAsync(dataSource, cancellationToken);
        var newHorizon = reader.Horizon;
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
            await foreach (var (xid, tick) in reader.ReadPageAsync(_horizon, newHorizon, _cursorXid, _cursorId, PageSize, cancellationToken))
            {
                rows++;
                if (lastXid >= 0 && xid != lastXid)
                {
                    yield return SourceEvent.ForCommit(lastXid, readTime, (ulong)lastXid);
                }

                lastXid = _cursorXid = xid;
                _cursorId = tick.Id;
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
