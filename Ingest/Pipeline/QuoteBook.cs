using System.Collections.Concurrent;
using Ticker.Database.Ticks;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// Per-symbol quote state. <see cref="Apply"/> is called by one thread, in commit order; readers on
/// any thread see immutable <see cref="Quote"/>s.
/// </summary>
public sealed class QuoteBook(TradingSession session, TimeSpan futureSkew)
{
    public QuoteBook(TradingSession session)
        : this(session, TickTime.DefaultFutureSkew)
    {
    }

    private readonly ConcurrentDictionary<string, Quote> _quotes = new(StringComparer.Ordinal);

    public int Count => _quotes.Count;

    public IEnumerable<Quote> All => _quotes.Values;

    public bool TryGet(string symbol, out Quote quote) => _quotes.TryGetValue(symbol, out quote!);

    /// <summary>Seeds a quote loaded at start-up.</summary>
    public void Load(Quote quote) => _quotes[quote.Symbol] = quote;

    /// <summary>
    /// Becomes exactly <paramref name="quotes"/> (state read under a new epoch, whose numbers may be
    /// lower): a symbol left out is forgotten, or its next tick would go on from the old numbering.
    /// </summary>
    public void Replace(IReadOnlyList<Quote> quotes)
    {
        foreach (var quote in quotes)
        {
            _quotes[quote.Symbol] = quote;
        }

        var kept = quotes.Select(q => q.Symbol).ToHashSet(StringComparer.Ordinal);
        foreach (var symbol in _quotes.Keys.Where(s => !kept.Contains(s)).ToList())
        {
            _quotes.TryRemove(symbol, out _);
        }
    }

    /// <summary>
    /// The next tick of a symbol, in commit order. A tick stamped earlier than the quote (history
    /// imported late) counts toward the sequence and, within the session, toward volume, high and
    /// low, but does not replace the last price.
    /// A tick whose time stamp cannot be true when it committed (before 1900, infinite, or further
    /// ahead of its commit than the skew allowance; the schema refuses these now, but older rows
    /// may hold them) counts toward the sequence only: taken at face value, a future one would
    /// hold the last price until that date, across restarts too.
    /// </summary>
    public QuoteUpdate Apply(in StoredTick tick, DateTimeOffset commitTime)
    {
        var plausible = TickTime.IsPlausible(tick.Ts, commitTime, futureSkew);
        if (!_quotes.TryGetValue(tick.Symbol, out var before))
        {
            // With nothing better known, its price stands, dated as early as possible so that
            // any real tick replaces it.
            var ts = plausible ? tick.Ts : TickTime.Earliest;
            var first = new Quote(tick.Symbol, 1, tick.Price, tick.Bid, tick.Ask, tick.Size,
                tick.Price, tick.Price, tick.Price, tick.Size, ts, session.StartOf(ts));
            _quotes[tick.Symbol] = first;
            return new QuoteUpdate(first, QuoteFields.All, commitTime);
        }

        var after = plausible ? Next(before, tick, session.StartOf(tick.Ts)) : before with { Seq = before.Seq + 1 };
        _quotes[tick.Symbol] = after;
        return new QuoteUpdate(after, Diff(before, after), commitTime);
    }

    /// <summary>
    /// Brings the book up to <paramref name="state"/>, read after a gap in the stream: one update per
    /// symbol that moved, standing for all the ticks it missed (<see cref="QuoteUpdate.Merged"/>).
    /// </summary>
    public List<QuoteUpdate> Reload(StartupState state, DateTimeOffset commitTime)
    {
        var updates = new List<QuoteUpdate>();
        foreach (var quote in state.Quotes)
        {
            var known = _quotes.TryGetValue(quote.Symbol, out var before);
            if (known && before!.Seq >= quote.Seq)
            {
                continue;
            }

            _quotes[quote.Symbol] = quote;
            updates.Add(new QuoteUpdate(quote, known ? Diff(before!, quote) : QuoteFields.All, commitTime)
            {
                Merged = (int)Math.Min(int.MaxValue, quote.Seq - (known ? before!.Seq : 0)),
            });
        }

        return updates;
    }

    private static Quote Next(Quote q, in StoredTick tick, DateTimeOffset tickSession)
    {
        var seq = q.Seq + 1;
        if (tickSession > q.SessionStart)
        {
            // A new session: this tick opens it.
            return new Quote(q.Symbol, seq, tick.Price, tick.Bid ?? q.Bid, tick.Ask ?? q.Ask, tick.Size,
                tick.Price, tick.Price, tick.Price, tick.Size, tick.Ts, tickSession);
        }

        var sameSession = tickSession == q.SessionStart;
        var high = sameSession ? Math.Max(q.High, tick.Price) : q.High;
        var low = sameSession ? Math.Min(q.Low, tick.Price) : q.Low;
        var volume = sameSession ? q.Volume + tick.Size : q.Volume;
        return tick.Ts < q.Ts
            ? q with { Seq = seq, High = high, Low = low, Volume = volume }
            : q with
            {
                Seq = seq,
                Last = tick.Price,
                Bid = tick.Bid ?? q.Bid,
                Ask = tick.Ask ?? q.Ask,
                Size = tick.Size,
                High = high,
                Low = low,
                Volume = volume,
                Ts = tick.Ts,
            };
    }

    private static QuoteFields Diff(Quote a, Quote b) =>
        (a.Last != b.Last ? QuoteFields.Last : 0)
        | (a.Bid != b.Bid ? QuoteFields.Bid : 0)
        | (a.Ask != b.Ask ? QuoteFields.Ask : 0)
        | (a.Size != b.Size ? QuoteFields.Size : 0)
        | (a.Open != b.Open ? QuoteFields.Open : 0)
        | (a.High != b.High ? QuoteFields.High : 0)
        | (a.Low != b.Low ? QuoteFields.Low : 0)
        | (a.Volume != b.Volume ? QuoteFields.Volume : 0)
        | (a.Ts != b.Ts ? QuoteFields.Ts : 0);
}
