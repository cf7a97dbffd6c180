using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>
/// What a change source reads, in commit order: the ticks of one transaction, then its commit.
/// Streamed rather than gathered, so a transaction of a million rows never sits in memory.
/// </summary>
/// <param name="Xid">The 64-bit id of the transaction that inserted the tick.</param>
/// <param name="Position">Where the source stands after a commit; handed back to <see cref="ITickSource.Acknowledge"/>.</param>
public readonly record struct SourceEvent(SourceEventKind Kind, StoredTick Tick, long Xid, DateTimeOffset CommitTime, ulong Position)
{
    public static SourceEvent ForTick(StoredTick tick, long xid, DateTimeOffset commitTime) =>
        new(SourceEventKind.Tick, tick, xid, commitTime, 0);

    /// <summary>
    /// Every symbol's state as of a new slot's snapshot, after the stream was interrupted and could not
    /// be resumed where it stopped; the stream goes on from exactly that snapshot.
    /// </summary>
    public StartupState? State { get; init; }

    public static SourceEvent ForReload(StartupState state) => new(SourceEventKind.Reload, default, 0, DateTimeOffset.UtcNow, 0) { State = state };

    public static SourceEvent ForCommit(long xid, DateTimeOffset commitTime, ulong position) =>
        new(SourceEventKind.Commit, default, xid, commitTime, position);
}

public enum SourceEventKind
{
    Tick,
    Commit,
    Reload,
}
