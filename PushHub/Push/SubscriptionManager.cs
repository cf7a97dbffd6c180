using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Identity;

namespace Ticker.PushHub.Push;

/// <summary>
/// Subscribe and unsubscribe, the same for every transport: register with the fan-out first,
/// then tell the queue where the subscriber stands (snapshot, replayed deltas, or reset and
/// snapshot), so no update can fall between what was read and what streams.
/// </summary>
internal sealed class SubscriptionManager(IFanOut fanOut, IQuoteFeed feed)
{
    /// <summary>
    /// The one admission check of every live path (WebSocket, gRPC, and the data channel, which carries
    /// only what its WebSocket's queue holds): callers refuse first, with their transport's error, and
    /// this throws if one did not. "*" brings in only the symbols <paramref name="caller"/> covers.
    /// </summary>
    /// <summary>The epoch the hub's positions belong to now (sent in <c>subscribed</c>, snapshots and resets).</summary>
    public string Epoch => feed.Epoch;

    public void Subscribe(SubscriberQueue queue, Entitlements caller, IReadOnlyList<string> symbols, double? maxRate, IReadOnlyDictionary<string, long> resume,
        string? epoch = null)
    {
        if (caller.FirstRefused(symbols) is { } refused)
        {
            throw new InvalidOperationException($"{refused} is not entitled; the transport must refuse it before subscribing");
        }

        queue.Restrict(caller.Covers);
        var interval = maxRate is { } rate ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
        var named = symbols.Where(s => s != "*").ToList();
        var all = symbols.Contains("*");
        queue.Subscribe(named, interval);
        fanOut.Add(queue, named);
        if (all)
        {
            queue.SubscribeAll(interval);
            fanOut.AddWildcard(queue);
        }

        var targets = all ? named.Union(feed.Quotes.Select(q => q.Symbol).Where(caller.Covers).Order(StringComparer.Ordinal)) : named;
        foreach (var symbol in targets)
        {
            SetBaseline(queue, symbol, resume.TryGetValue(symbol, out var seq) ? seq : null, epoch);
        }
    }

    public void Unsubscribe(SubscriberQueue queue, IReadOnlyList<string> symbols)
    {
        fanOut.Remove(queue, symbols);
        queue.Unsubscribe(symbols);
    }

    /// <summary>A refreshed token: drops what it no longer covers; returns the symbols that had been subscribed by name.</summary>
    public IReadOnlyList<string> Restrict(SubscriberQueue queue, Entitlements caller)
    {
        var dropped = queue.Restrict(caller.Covers);
        fanOut.Remove(queue, dropped);
        return dropped;
    }

    public void Forget(SubscriberQueue queue) => fanOut.RemoveEverywhere(queue);

    /// <summary>
    /// Sets where the subscriber stands under the hub's current epoch. The pipeline replaces its book
    /// before it names the new epoch, and resets every queue after: a baseline read while the epoch
    /// changed is set again, so a subscriber never keeps a snapshot of one epoch under the other.
    /// </summary>
    private void SetBaseline(SubscriberQueue queue, string symbol, long? resumeAfter, string? clientEpoch)
    {
        while (true)
        {
            var epoch = feed.Epoch;
            SetBaseline(queue, symbol, resumeAfter, clientEpoch, epoch);
            if (feed.Epoch == epoch)
            {
                return;
            }
        }
    }

    private void SetBaseline(SubscriberQueue queue, string symbol, long? resumeAfter, string? clientEpoch, string epoch)
    {
        var known = feed.TryGetQuote(symbol, out var quote);
        if (resumeAfter is { } seq)
        {
            if (ResumeEpoch.Refusal(clientEpoch, epoch, seq) is { } otherEpoch)
            {
                queue.SetBaseline(symbol, known ? quote.Seq : 0,
                    known ? [new Outgoing.Reset(quote, otherEpoch) { Epoch = epoch }, new Outgoing.Snapshot(quote) { Epoch = epoch }] : []);
                return;
            }

            var replay = feed.ReplayAfter(symbol, seq);
            // Replaying more than half of what the connection may still queue would end it: a reset
            // and snapshot say the same in two messages.
            var replayFits = replay.Updates.Count * SubscriberQueue.DeltaBytes <= queue.RemainingBytes / 2;
            if (replay.CanResume && replayFits)
            {
                var last = replay.Updates.Count > 0 ? replay.Updates[^1].Seq : seq;
                queue.SetBaseline(symbol, last, replay.Updates.Select(u => new Outgoing.Delta(new OutboundUpdate(u), u.Changed, u.Merged)));
                return;
            }

            if (known)
            {
                queue.SetBaseline(symbol, quote.Seq,
                    [new Outgoing.Reset(quote, replay.CanResume ? $"resuming from {seq} would queue more than Hub:MaxQueuedBytes allows" : $"resume position {seq} is no longer held") { Epoch = epoch },
                        new Outgoing.Snapshot(quote) { Epoch = epoch }]);
                return;
            }
        }

        queue.SetBaseline(symbol, known ? quote.Seq : 0, known ? [new Outgoing.Snapshot(quote) { Epoch = epoch }] : []);
    }
}
