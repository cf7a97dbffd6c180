namespace Ticker.Ingest.Pipeline;

/// <summary>What a resuming subscriber gets for one symbol.</summary>
public readonly record struct Replay(bool CanResume, IReadOnlyList<QuoteUpdate> Updates)
{
    public static readonly Replay UpToDate = new(true, []);
    public static readonly Replay CannotResume = new(false, []);
}

/// <summary>
/// The last <c>depth</c> updates of each symbol, so a subscriber that reconnects with its last
/// sequence numbers gets exactly what it missed — or is told it cannot resume, never a silent gap.
/// Written by the pipeline thread, read by any; each symbol's ring is locked on its own.
/// </summary>
public sealed class ReplayBuffer(int depth)
{
    private readonly Dictionary<string, Ring> _rings = new(StringComparer.Ordinal);
    private readonly Lock _ringsLock = new();

    /// <summary>Forgets every update (they belong to an epoch that ended): resuming from them is a reset.</summary>
    public void Clear()
    {
        lock (_ringsLock)
        {
            _rings.Clear();
        }
    }

    public void Add(QuoteUpdate update)
    {
        Ring? ring;
        lock (_ringsLock)
        {
            if (!_rings.TryGetValue(update.Symbol, out ring))
            {
                _rings[update.Symbol] = ring = new Ring(depth);
            }
        }

        ring.Add(update);
    }

    /// <summary>
    /// Everything for <paramref name="symbol"/> after <paramref name="afterSeq"/>. <paramref name="loadedSeq"/>
    /// is the symbol's number when no update has passed since start-up (its quote as loaded).
    /// </summary>
    public Replay After(string symbol, long afterSeq, long loadedSeq)
    {
        Ring? ring;
        lock (_ringsLock)
        {
            _rings.TryGetValue(symbol, out ring);
        }

        if (ring is null)
        {
            return afterSeq == loadedSeq ? Replay.UpToDate : Replay.CannotResume;
        }

        return ring.After(afterSeq);
    }

    private sealed class Ring(int capacity)
    {
        private readonly QuoteUpdate[] _items = new QuoteUpdate[capacity];
        private readonly Lock _lock = new();
        private long _count;

        public void Add(QuoteUpdate update)
        {
            lock (_lock)
            {
                // An update that stands for several ticks (a gap in the stream) cannot be replayed
                // from within: forget what came before, so resuming from there is a reset.
                if (update.Merged > 1)
                {
                    _count = 0;
                }

                _items[_count++ % _items.Length] = update;
            }
        }

        public Replay After(long afterSeq)
        {
            lock (_lock)
            {
                var held = Math.Min(_count, _items.Length);
                var newest = _items[(_count - 1) % _items.Length].Seq;
                var oldest = _items[(_count - held) % _items.Length].Seq;
                if (afterSeq == newest)
                {
                    return Replay.UpToDate;
                }

                // Ahead of us (another hub's numbers, a restarted table) or older than we hold: reset.
                if (afterSeq > newest || afterSeq + 1 < oldest)
                {
                    return Replay.CannotResume;
                }

                var updates = new List<QuoteUpdate>((int)(newest - afterSeq));
                for (var i = _count - (newest - afterSeq); i < _count; i++)
                {
                    updates.Add(_items[i % _items.Length]);
                }

                return new Replay(true, updates);
            }
        }
    }
}
