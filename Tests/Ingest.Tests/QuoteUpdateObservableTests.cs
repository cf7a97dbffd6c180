using Microsoft.Reactive.Testing;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Tests;

/// <summary>The pipeline's core query over a scripted change stream, in virtual time.</summary>
[Trait("Tier", "Fast")]
public sealed class QuoteUpdateObservableTests : ReactiveTest
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);

    private static SourceEvent TickOf(long xid, string symbol, decimal price, long size, int second) =>
        SourceEvent.ForTick(new StoredTick(xid * 10 + second, symbol, T0.AddSeconds(second), price, size, null, null), xid, T0.AddSeconds(second));

    [Fact]
    public void ToQuoteUpdates_SkipsWhatTheSnapshotSawAndNumbersTheRestInCommitOrder()
    {
        var scheduler = new TestScheduler();
        var book = new QuoteBook(new TradingSession(TimeSpan.Zero));
        book.Load(new Quote("AAPL", 7, 100, null, null, 10, 99, 101, 98, 500, T0, T0.Date));
        // The snapshot saw transaction 100 (already in the loaded quote) but not 101 or 102.
        var snapshot = TransactionSnapshot.Parse("101:103:101,102");
        var changes = scheduler.CreateHotObservable(
            OnNext(100, TickOf(100, "AAPL", 100, 10, 1)),
            OnNext(110, SourceEvent.ForCommit(100, T0, 1)),
            OnNext(200, TickOf(102, "AAPL", 102, 5, 3)),
            OnNext(210, TickOf(102, "MSFT", 400, 1, 3)),
            OnNext(220, SourceEvent.ForCommit(102, T0, 2)),
            OnNext(300, TickOf(101, "AAPL", 97, 20, 2)),
            OnNext(310, SourceEvent.ForCommit(101, T0, 3)));

        var results = scheduler.Start(() => changes.ToQuoteUpdates(book, snapshot), 0, 0, 1000);

        Assert.Equal(
        [
            (200L, "AAPL", 8L, 102m, QuoteFields.Last | QuoteFields.Size | QuoteFields.High | QuoteFields.Volume | QuoteFields.Ts),
            (210L, "MSFT", 1L, 400m, QuoteFields.All),
            // Committed after the later-stamped tick: counts (seq, low, volume) but keeps the last price.
            (300L, "AAPL", 9L, 102m, QuoteFields.Low | QuoteFields.Volume),
        ], results.Messages.Select(m => (m.Time, m.Value.Value.Symbol, m.Value.Value.Seq, m.Value.Value.Quote.Last, m.Value.Value.Changed)));
        Assert.Equal(525, book.TryGet("AAPL", out var aapl) ? aapl.Volume : 0);
    }

    [Fact]
    public void ToQuoteUpdates_SourceFails_ErrorReachesSubscribers()
    {
        var scheduler = new TestScheduler();
        var failure = new InvalidOperationException("replication slot lost");
        var changes = scheduler.CreateHotObservable(
            OnNext(100, TickOf(5, "IBM", 200, 1, 1)),
            OnError<SourceEvent>(200, failure));

        var results = scheduler.Start(
            () => changes.ToQuoteUpdates(new QuoteBook(new TradingSession(TimeSpan.Zero)), TransactionSnapshot.Parse("1:1:")), 0, 0, 1000);

        Assert.Equal(2, results.Messages.Count);
        Assert.Same(failure, results.Messages[1].Value.Exception);
    }
}
