using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>Where committed ticks come from: the replication stream, or the LISTEN/NOTIFY fallback.</summary>
public interface ITickSource : IAsyncDisposable
{
    /// <summary>A name for logs and metrics: "replication" or "notify".</summary>
    string Name { get; }

    /// <summary>
    /// Everything committed from the start-up <paramref name="snapshot"/> on (transactions it already
    /// saw may come too; the pipeline skips them). Reconnects by itself; ends only when cancelled.
    /// </summary>
    IAsyncEnumerable<SourceEvent> ReadAsync(TransactionSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>Everything up to <paramref name="position"/> has been handed on and need not be read again.</summary>
    void Acknowledge(ulong position);
}
