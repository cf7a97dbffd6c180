using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>
/// What one subscriber still has to receive. Control messages (acknowledgements, snapshots,
/// resets) keep their order; updates wait as at most <see cref="MaxPendingPerSymbol"/> deltas per
/// symbol (one when the symbol is rate-limited) — beyond that a newer update is merged into the
/// last one, its changed fields added — so memory is bounded by the subscriptions, however fast
/// the feed and however slow the reader. Control messages are bounded by a byte budget
/// (<see cref="HubOptions.MaxQueuedBytes"/>, see SubscriberQueue.Budget.cs). The fan-out thread
/// offers, the transport's writer takes.
/// </summary>
internal sealed partial class SubscriberQueue(long maxQueuedBytes = long.MaxValue)
{
    /// <summary>
    /// Enough to carry a burst of one symbol's ticks committed together (a feed's batch) to a
    /// reader that keeps up, without merging; few enough that a stalled reader costs little.
    /// </summary>
    public const int MaxPendingPerSymbol = 8;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Subscription> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Outgoing.Delta>> _pending = new(StringComparer.Ordinal);
    private readonly Queue<Outgoing> _control = new();
    private TimeSpan? _wildcardInterval;
    private Func<string, bool> _admits = static _ => true;
    private TaskCompletionSource _signal = NewSignal();

    /// <summary>How many symbols are subscribed by name (the wildcard adds the others as they come).</summary>
    public int NamedSymbols
    {
        get
        {
            lock (_lock)
            {
                return _symbols.Count(s => s.Value.Named);
            }
        }
    }

    /// <summary>How many of <paramref name="symbols"/> (not counting "*") are not subscribed by name yet.</summary>
    public int CountNotNamed(IEnumerable<string> symbols)
    {
        lock (_lock)
        {
            return symbols.Distinct(StringComparer.Ordinal).Count(s => s != "*" && !(_symbols.TryGetValue(s, out var held) && held.Named));
        }
    }

    public bool HasWildcard
    {
        get
        {
            lock (_lock)
            {
                return _wildcardInterval is not null;
            }
        }
    }

    /// <summary>From the fan-out: a new update of a symbol this subscriber may want.</summary>
    public void Offer(OutboundUpdate update)
    {
        lock (_lock)
        {
            if (!_symbols.TryGetValue(update.Symbol, out var subscription))
            {
                if (_wildcardInterval is not { } interval || !_admits(update.Symbol))
                {
                    return;
                }

                // A symbol that appeared after a "*" subscribe: its first update is its baseline.
                _symbols[update.Symbol] = subscription = new Subscription(interval, Named: false) { LastSeq = 0 };
            }

            if (update.Seq <= subscription.LastSeq)
            {
                return;
            }

            var fresh = new Outgoing.Delta(update, update.Update.Changed, update.Update.Merged);
            if (!_pending.TryGetValue(update.Symbol, out var pending))
            {
                _pending[update.Symbol] = [fresh];
            }
            else if (pending.Count < MaxPendingPerSymbol && subscription.Interval == TimeSpan.Zero)
            {
                pending.Add(fresh);
            }
            else
            {
                var last = pending[^1];
                pending[^1] = new Outgoing.Delta(update, last.Changed | update.Update.Changed, last.Merged + update.Update.Merged);
            }

            Signal();
        }
    }

    /// <summary>
    /// Starts (or re-rates) subscriptions. Until <see cref="SetBaseline"/> says where the subscriber
    /// stands, offered updates wait as pending deltas, so nothing falls between snapshot and stream.
    /// </summary>
    public void Subscribe(IEnumerable<string> symbols, TimeSpan interval)
    {
        lock (_lock)
        {
            foreach (var symbol in symbols)
            {
                _symbols[symbol] = _symbols.TryGetValue(symbol, out var existing)
                    ? existing with { Interval = interval, Named = true }
                    : new Subscription(interval, Named: true);
            }
        }
    }

    public void SubscribeAll(TimeSpan interval)
    {
        lock (_lock)
        {
            _wildcardInterval = interval;
        }
    }

    /// <summary>
    /// The subscriber holds <paramref name="symbol"/> up to <paramref name="seq"/> once
    /// <paramref name="messages"/> (snapshot, reset, replayed deltas) are sent; older pending updates are dropped.
    /// </summary>
    public void SetBaseline(string symbol, long seq, IEnumerable<Outgoing> messages)
    {
        lock (_lock)
        {
            if (!_symbols.TryGetValue(symbol, out var subscription))
            {
                if (_wildcardInterval is not { } interval || !_admits(symbol))
                {
                    return;
                }

                _symbols[symbol] = subscription = new Subscription(interval, Named: false);
            }

            subscription.LastSeq = seq;
            if (_pending.TryGetValue(symbol, out var pending) && pending.RemoveAll(d => d.Latest.Seq <= seq) > 0 && pending.Count == 0)
            {
                _pending.Remove(symbol);
            }

            foreach (var message in messages)
            {
                EnqueueControl(message);
            }

            Signal();
        }
    }

    public void Unsubscribe(IEnumerable<string> symbols)
    {
        lock (_lock)
        {
            foreach (var symbol in symbols)
            {
                if (symbol == "*")
                {
                    _wildcardInterval = null;
                    foreach (var unnamed in _symbols.Where(s => !s.Value.Named).Select(s => s.Key).ToList())
                    {
                        _symbols.Remove(unnamed);
                        _pending.Remove(unnamed);
                    }
                }
                else
                {
                    _symbols.Remove(symbol);
                    _pending.Remove(symbol);
                }
            }
        }
    }

    /// <summary>
    /// What "*" may bring in from now on (the connection's entitlements); symbols held that it no
    /// longer admits are dropped. Returns those that had been subscribed by name.
    /// </summary>
    public IReadOnlyList<string> Restrict(Func<string, bool> admits)
    {
        lock (_lock)
        {
            _admits = admits;
            var refused = _symbols.Where(s => !admits(s.Key)).ToList();
            foreach (var (symbol, _) in refused)
            {
                _symbols.Remove(symbol);
                _pending.Remove(symbol);
            }

            return refused.Where(s => s.Value.Named).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        }
    }

    public void Enqueue(Outgoing message)
    {
        lock (_lock)
        {
            EnqueueControl(message);
            Signal();
        }
    }

    /// <summary>
    /// Everything that may go out at <paramref name="now"/>: control messages first, then pending
    /// deltas whose symbol's rate allows; and when the earliest held-back delta may go.
    /// </summary>
    public (List<Outgoing> Messages, DateTimeOffset? Next) Take(DateTimeOffset now)
    {
        lock (_lock)
        {
            var messages = new List<Outgoing>(Math.Min(_control.Count, 1024) + (_pending.Count * 2));
            TakeControl(messages);
            if (CutOffReason is not null || _control.Count > 0)
            {
                // Deltas wait behind control messages still queued: a symbol's snapshot goes before its deltas.
                return (messages, null);
            }

            DateTimeOffset? next = null;
            List<string>? sent = null;
            foreach (var (symbol, deltas) in _pending)
            {
                var subscription = _symbols[symbol];
                if (subscription.LastSeq < 0)
                {
                    // Subscribed, but where the subscriber stands (resume, reset, snapshot) is not known
                    // yet: a delta sent now could jump past what it holds. SetBaseline releases these.
                    continue;
                }

                if (subscription.NextAllowed > now)
                {
                    next = next is { } n && n < subscription.NextAllowed ? n : subscription.NextAllowed;
                    continue;
                }

                messages.AddRange(deltas);
                subscription.LastSeq = deltas[^1].Latest.Seq;
                subscription.NextAllowed = now + subscription.Interval;
                (sent ??= []).Add(symbol);
            }

            foreach (var symbol in sent ?? [])
            {
                _pending.Remove(symbol);
            }

            if (messages.Count == 0)
            {
                _signal = NewSignal();
            }

            return (messages, next);
        }
    }

    /// <summary>Completes when something is offered or enqueued after the last empty <see cref="Take"/>.</summary>
    public Task WhenSignaled()
    {
        lock (_lock)
        {
            return _signal.Task;
        }
    }

    private void Signal() => _signal.TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Subscription(TimeSpan Interval, bool Named)
    {
        // Until a baseline is set nothing has been sent, and every update is pending.
        public long LastSeq { get; set; } = -1;

        public DateTimeOffset NextAllowed { get; set; } = DateTimeOffset.MinValue;
    }
}
