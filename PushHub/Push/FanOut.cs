using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>
/// Hands every pipeline update to the subscribers of its symbol (and to "*" subscribers). Runs on
/// the pipeline's thread, so it only offers: merging and sending are each subscriber's own work,
/// and a slow subscriber never delays the others. The subscriber lists are copied on write:
/// subscriptions change rarely, updates arrive all the time.
/// </summary>
internal sealed class FanOut(TickPipeline pipeline, PushMetrics metrics) : IHostedService, IDisposable
{
    private readonly Lock _writeLock = new();
    private Dictionary<string, SubscriberQueue[]> _bySymbol = new(StringComparer.Ordinal);
    private SubscriberQueue[] _wildcard = [];
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = pipeline.Updates.Subscribe(Publish);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Add(SubscriberQueue queue, IEnumerable<string> symbols)
    {
        lock (_writeLock)
        {
            var next = new Dictionary<string, SubscriberQueue[]>(_bySymbol, StringComparer.Ordinal);
            foreach (var symbol in symbols)
            {
                var current = next.GetValueOrDefault(symbol, []);
                if (!current.Contains(queue))
                {
                    next[symbol] = [.. current, queue];
                }
            }

            Volatile.Write(ref _bySymbol, next);
        }
    }

    public void AddWildcard(SubscriberQueue queue)
    {
        lock (_writeLock)
        {
            if (!_wildcard.Contains(queue))
            {
                Volatile.Write(ref _wildcard, [.. _wildcard, queue]);
            }
        }
    }

    public void Remove(SubscriberQueue queue, IEnumerable<string> symbols)
    {
        lock (_writeLock)
        {
            var next = new Dictionary<string, SubscriberQueue[]>(_bySymbol, StringComparer.Ordinal);
            foreach (var symbol in symbols)
            {
                if (symbol == "*")
                {
                    Volatile.Write(ref _wildcard, _wildcard.Where(q => q != queue).ToArray());
                }
                else if (next.TryGetValue(symbol, out var current))
                {
                    var rest = current.Where(q => q != queue).ToArray();
                    if (rest.Length == 0)
                    {
                        next.Remove(symbol);
                    }
                    else
                    {
                        next[symbol] = rest;
                    }
                }
            }

            Volatile.Write(ref _bySymbol, next);
        }
    }

    /// <summary>Forgets a subscriber entirely (its connection ended).</summary>
    public void RemoveEverywhere(SubscriberQueue queue) =>
        Remove(queue, Volatile.Read(ref _bySymbol).Where(kv => kv.Value.Contains(queue)).Select(kv => kv.Key).Append("*").ToList());

    private void Publish(QuoteUpdate update)
    {
        var outbound = new OutboundUpdate(update);
        var offered = 0;
        if (Volatile.Read(ref _bySymbol).TryGetValue(update.Symbol, out var subscribers))
        {
            foreach (var queue in subscribers)
            {
                queue.Offer(outbound);
            }

            offered += subscribers.Length;
        }

        foreach (var queue in Volatile.Read(ref _wildcard))
        {
            queue.Offer(outbound);
            offered++;
        }

        metrics.UpdatesFannedOut.Add(offered);
    }

    public void Dispose() => _subscription?.Dispose();
}
