using System.Collections.Concurrent;
using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>
/// Hands every update of the <see cref="IQuoteFeed"/> to the subscribers of its symbol (and to "*" subscribers). Runs on
/// the pipeline's thread, so it only offers: merging and sending are each subscriber's own work,
/// and a slow subscriber never delays the others. Each symbol has its own subscriber set
/// (<see cref="SubscriberSet"/>), so a subscribe or a disconnect costs in proportion to the
/// symbols it touches, and publishing reads an array without a lock.
/// </summary>
internal sealed class FanOut(IQuoteFeed feed, PushMetrics metrics) : IFanOut, IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, SubscriberSet> _bySymbol = new(StringComparer.Ordinal);
    private readonly SubscriberSet _wildcard = new(permanent: true);
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = feed.Updates.Subscribe(Publish);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Add(SubscriberQueue queue, IEnumerable<string> symbols)
    {
        foreach (var symbol in symbols)
        {
            if (!queue.MarkFannedOut(symbol))
            {
                continue;
            }

            // A set emptied and dropped by a concurrent remove refuses the add: take its successor.
            while (!_bySymbol.GetOrAdd(symbol, static _ => new SubscriberSet()).TryAdd(queue))
            {
            }
        }
    }

    public void AddWildcard(SubscriberQueue queue) => _wildcard.TryAdd(queue);

    public void Remove(SubscriberQueue queue, IEnumerable<string> symbols)
    {
        foreach (var symbol in symbols)
        {
            if (symbol == "*")
            {
                _wildcard.RemoveAndRetireIfEmpty(queue);
            }
            else if (queue.UnmarkFannedOut(symbol) && _bySymbol.TryGetValue(symbol, out var set) && set.RemoveAndRetireIfEmpty(queue))
            {
                _bySymbol.TryRemove(new KeyValuePair<string, SubscriberSet>(symbol, set));
            }
        }
    }

    /// <summary>Forgets a subscriber entirely (its connection ended): only its own symbols are touched.</summary>
    public void RemoveEverywhere(SubscriberQueue queue) => Remove(queue, queue.FannedOutSymbols().Append("*"));

    /// <summary>Every subscriber, once each (for an epoch change, which resets them all).</summary>
    internal IEnumerable<SubscriberQueue> AllQueues() =>
        _bySymbol.Values.SelectMany(set => set.Members).Concat(_wildcard.Members).Distinct(ReferenceEqualityComparer.Instance).Cast<SubscriberQueue>();

    /// <summary>How many queues receive <paramref name="symbol"/> by name (for tests and metrics).</summary>
    internal int SubscriberCount(string symbol) => _bySymbol.TryGetValue(symbol, out var set) ? set.Members.Length : 0;

    internal int WildcardCount => _wildcard.Members.Length;

    /// <summary>How many symbols have at least one named subscriber.</summary>
    internal int SymbolCount => _bySymbol.Count;

    private void Publish(QuoteUpdate update)
    {
        var outbound = new OutboundUpdate(update);
        var offered = 0;
        if (_bySymbol.TryGetValue(update.Symbol, out var set))
        {
            var subscribers = set.Members;
            foreach (var queue in subscribers)
            {
                queue.Offer(outbound);
            }

            offered += subscribers.Length;
        }

        var wildcard = _wildcard.Members;
        foreach (var queue in wildcard)
        {
            queue.Offer(outbound);
        }

        offered += wildcard.Length;
        metrics.UpdatesFannedOut.Add(offered);
    }

    public void Dispose() => _subscription?.Dispose();
}
