using Microsoft.Reactive.Testing;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Tests;

/// <summary>The per-symbol rate limit, in virtual time.</summary>
public sealed class ConflationTests : ReactiveTest
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);

    private static QuoteUpdate Update(string symbol, long seq, decimal last, QuoteFields changed) =>
        new(new Quote(symbol, seq, last, null, null, 1, 100, 200, 50, seq, T0, T0), changed, T0);

    [Fact]
    public void ConflatePerSymbol_BurstWithinInterval_FirstAtOnceRestMergedAtIntervalEnd()
    {
        var scheduler = new TestScheduler();
        var second = TimeSpan.FromSeconds(1).Ticks;
        var input = scheduler.CreateHotObservable(
            OnNext(100, Update("AAPL", 1, 10, QuoteFields.All)),
            OnNext(200 + second / 10, Update("AAPL", 2, 11, QuoteFields.Last)),
            OnNext(300 + second / 5, Update("AAPL", 3, 11, QuoteFields.Bid)),
            OnNext(400 + second / 5, Update("MSFT", 1, 400, QuoteFields.All)),
            OnNext(500 + second * 3, Update("AAPL", 4, 12, QuoteFields.Last)));

        var results = scheduler.Start(() => input.ConflatePerSymbol(TimeSpan.FromSeconds(1), scheduler), 0, 0, long.MaxValue);

        Assert.Equal(
        [
            (100L, "AAPL", 1L, QuoteFields.All),
            (400 + second / 5, "MSFT", 1L, QuoteFields.All),
            (100 + second, "AAPL", 3L, QuoteFields.Last | QuoteFields.Bid),
            (500 + second * 3, "AAPL", 4L, QuoteFields.Last),
        ], results.Messages.Select(m => (m.Time, m.Value.Value.Symbol, m.Value.Value.Seq, m.Value.Value.Changed)));
    }

    [Fact]
    public void ConflatePerSymbol_EndlessFlood_OneUpdatePerIntervalNeverMoreHeld()
    {
        var scheduler = new TestScheduler();
        var tenth = TimeSpan.FromMilliseconds(100).Ticks;
        var input = scheduler.CreateHotObservable(
            Enumerable.Range(1, 100).Select(i => OnNext(i * tenth / 10, Update("SPY", i, i, QuoteFields.Last))).ToArray());

        var results = scheduler.Start(() => input.ConflatePerSymbol(TimeSpan.FromMilliseconds(100), scheduler), 0, 0, long.MaxValue);

        // 100 updates over one second at 100 ms: the first, then one per interval, the last one last.
        Assert.InRange(results.Messages.Count, 10, 11);
        Assert.Equal(100, results.Messages[^1].Value.Value.Seq);
        Assert.All(results.Messages.Zip(results.Messages.Skip(1)), p => Assert.True(p.Second.Time - p.First.Time >= tenth));
    }
}
