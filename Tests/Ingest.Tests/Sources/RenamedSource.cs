using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Tests.Sources;

/// <summary>
/// A source the pipeline has never heard of: a real source under another name, so selection by
/// name is shown without any type the pipeline knows.
/// </summary>
internal sealed class RenamedSource(string name, ITickSource inner) : ITickSource
{
    public string Name => name;

    public bool HoldsBacklog => inner.HoldsBacklog;

    public Task<string?> PrepareAsync(CancellationToken cancellationToken) => inner.PrepareAsync(cancellationToken);

    public IAsyncEnumerable<SourceEvent> ReadAsync(TransactionSnapshot snapshot, CancellationToken cancellationToken) =>
        inner.ReadAsync(snapshot, cancellationToken);

    public void Acknowledge(ulong position) => inner.Acknowledge(position);

    public Task<SourceBacklog?> ReadBacklogAsync(CancellationToken cancellationToken) => inner.ReadBacklogAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
