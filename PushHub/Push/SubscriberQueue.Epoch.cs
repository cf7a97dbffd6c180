using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

internal sealed partial class SubscriberQueue
{
    /// <summary>
    /// The hub's positions moved to a new epoch: every symbol this subscriber holds gets a reset and
    /// a snapshot of <paramref name="quoteOf"/>'s quote, and pending deltas (old numbering) are dropped.
    /// Symbols whose baseline is not set yet are left to the subscribe in progress, which re-reads
    /// the epoch once it has set them (SubscriptionManager).
    /// </summary>
    public void ResetAll(Func<string, Quote?> quoteOf, string epoch, string reason)
    {
        lock (_lock)
        {
            foreach (var (symbol, subscription) in _symbols)
            {
                if (subscription.LastSeq < 0)
                {
                    continue;
                }

                _pending.Remove(symbol);
                if (quoteOf(symbol) is not { } quote)
                {
                    // Gone from the new epoch: its next tick starts it again at seq 1, with every field.
                    subscription.LastSeq = 0;
                    continue;
                }

                subscription.LastSeq = quote.Seq;
                EnqueueControl(new Outgoing.Reset(quote, reason) { Epoch = epoch });
                EnqueueControl(new Outgoing.Snapshot(quote) { Epoch = epoch });
            }

            Signal();
        }
    }
}
