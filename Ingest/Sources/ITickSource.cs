using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>
/// Where committed ticks come from. The pipeline knows sources only through this interface: a new
/// source is a class implementing it plus a <see cref="TickSourceRegistration"/> that names it for
/// <c>Ingest:Source</c>. Every source passes the contract tests (Tests/Ingest.Tests/Sources).
/// </summary>
public interface ITickSource : IAsyncDisposable
{
    /// <summary>The name it is registered and selected by (<c>Ingest:Source</c>); shown in logs, metrics and health.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the server keeps changes back for this source until they are acknowledged (a
    /// replication slot's WAL): the pipeline then watches <see cref="ReadBacklogAsync"/>.
    /// </summary>
    bool HoldsBacklog { get; }

    /// <summary>
    /// Opens whatever must exist before the start-up state is read, so nothing commits unseen
    /// between the two. Returns the exported snapshot the start-up state must be read under (its
    /// stream begins exactly there), or null when any snapshot taken after this call will do.
    /// </summary>
    Task<string?> PrepareAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Everything committed from the start-up <paramref name="snapshot"/> on (transactions it already
    /// saw may come too; the pipeline skips them). Reconnects by itself; ends only when cancelled.
    /// </summary>
    IAsyncEnumerable<SourceEvent> ReadAsync(TransactionSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>Everything up to <paramref name="position"/> has been handed on and need not be read again.</summary>
    void Acknowledge(ulong position);

    /// <summary>What the server holds back for this source now, or null when it cannot tell (see <see cref="HoldsBacklog"/>).</summary>
    Task<SourceBacklog?> ReadBacklogAsync(CancellationToken cancellationToken);
}
