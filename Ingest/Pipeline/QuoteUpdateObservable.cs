using System.Reactive.Linq;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Pipeline;

public static class QuoteUpdateObservable
{
    /// <summary>
    /// The pipeline's core query: the ticks that the start-up snapshot did not already count,
    /// applied to the book in commit order, each becoming one update; after a gap in the stream, the
    /// state read under the new slot's snapshot, one update per symbol that moved. Commits pass
    /// through untouched for whoever acknowledges them.
    /// </summary>
    public static IObservable<QuoteUpdate> ToQuoteUpdates(this IObservable<SourceEvent> changes, QuoteBook book, TransactionSnapshot snapshot) =>
        changes
            .Where(change => change.Kind == SourceEventKind.Reload || (change.Kind == SourceEventKind.Tick && !snapshot.Sees(change.Xid)))
            .SelectMany(change => change.Kind == SourceEventKind.Reload
                ? book.Reload(change.State!, change.CommitTime)
                : [book.Apply(change.Tick, change.CommitTime)]);
}
