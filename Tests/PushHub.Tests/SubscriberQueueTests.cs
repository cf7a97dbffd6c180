using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>The per-connection queue: baselines, merging, rate limits, the wildcard and the signal to its writer.</summary>
[Trait("Tier", "Fast")]
public sealed class SubscriberQueueTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    private static Quote QuoteAt(long seq) => new("AAPL", seq, 100 + seq, null, null, 1, 100, 100 + seq, 100, seq, Now, Now.Date);

    [Fact]
    public void UpdateOfferedBeforeTheBaseline_WaitsForIt_ThenFollowsTheResetAndSnapshot()
    {
        var queue = new SubscriberQueue();
        queue.Subscribe(["AAPL"], TimeSpan.Zero);
        queue.Offer(new OutboundUpdate(new QuoteUpdate(QuoteAt(5), QuoteFields.Last, Now)));

        // A resuming client holds seq 1: sending seq 5 now would be a gap nothing explains.
        var (early, _) = queue.Take(Now);
        queue.SetBaseline("AAPL", 4, [new Outgoing.Reset(QuoteAt(4), "resume position 1 is no longer held"), new Outgoing.Snapshot(QuoteAt(4))]);
        var (later, _) = queue.Take(Now);

        Assert.Empty(early);
        Assert.Collection(later,
            m => Assert.IsType<Outgoing.Reset>(m),
            m => Assert.IsType<Outgoing.Snapshot>(m),
            m => Assert.Equal(5, Assert.IsType<Outgoing.Delta>(m).Latest.Seq));
    }

    [Fact]
    public void Offer_MoreThanMaxPending_TheLastDeltaCarriesTheRestMerged()
    {
        var queue = Subscribed(TimeSpan.Zero);
        for (var seq = 1; seq <= SubscriberQueue.MaxPendingPerSymbol + 3; seq++)
        {
            queue.Offer(TestQuotes.Update("AAPL", seq, seq % 2 == 0 ? QuoteFields.Size : QuoteFields.Last));
        }

        var deltas = queue.Take(Now).Messages.Cast<Outgoing.Delta>().ToList();

        Assert.Equal(SubscriberQueue.MaxPendingPerSymbol, deltas.Count);
        Assert.All(deltas[..^1], d => Assert.Equal(1, d.Merged));
        Assert.Equal(SubscriberQueue.MaxPendingPerSymbol + 3, deltas[^1].Latest.Seq);
        Assert.Equal(4, deltas[^1].Merged);
        Assert.Equal(QuoteFields.Last | QuoteFields.Size, deltas[^1].Changed);
        Assert.False(deltas[^1].IsShared);
        Assert.True(deltas[0].IsShared);
    }

    [Fact]
    public void Offer_RateLimited_OnePendingDeltaHeldUntilTheIntervalPassed()
    {
        var queue = Subscribed(TimeSpan.FromSeconds(2));
        queue.Offer(TestQuotes.Update("AAPL", 1));
        var first = queue.Take(Now);
        queue.Offer(TestQuotes.Update("AAPL", 2));
        queue.Offer(TestQuotes.Update("AAPL", 3));

        var held = queue.Take(Now.AddSeconds(1));
        var released = queue.Take(Now.AddSeconds(2));

        Assert.Single(first.Messages);
        Assert.Empty(held.Messages);
        Assert.Equal(Now.AddSeconds(2), held.Next);
        var merged = Assert.IsType<Outgoing.Delta>(Assert.Single(released.Messages));
        Assert.Equal((3, 2), (merged.Latest.Seq, merged.Merged));
    }

    [Fact]
    public void Offer_SeqAtOrBelowTheBaseline_Ignored()
    {
        var queue = new SubscriberQueue();
        queue.Subscribe(["AAPL"], TimeSpan.Zero);
        queue.SetBaseline("AAPL", 5, []);

        queue.Offer(TestQuotes.Update("AAPL", 4));
        queue.Offer(TestQuotes.Update("AAPL", 5));
        queue.Offer(TestQuotes.Update("AAPL", 6));

        Assert.Equal(6, Assert.IsType<Outgoing.Delta>(Assert.Single(queue.Take(Now).Messages)).Latest.Seq);
    }

    [Fact]
    public void SetBaseline_DropsPendingUpdatesTheSnapshotCovers()
    {
        var queue = new SubscriberQueue();
        queue.Subscribe(["AAPL"], TimeSpan.Zero);
        queue.Offer(TestQuotes.Update("AAPL", 3));
        queue.Offer(TestQuotes.Update("AAPL", 4));

        queue.SetBaseline("AAPL", 4, [new Outgoing.Snapshot(QuoteAt(4))]);

        Assert.IsType<Outgoing.Snapshot>(Assert.Single(queue.Take(Now).Messages));
    }

    [Fact]
    public void Offer_NotSubscribed_Ignored()
    {
        var queue = Subscribed(TimeSpan.Zero);

        queue.Offer(TestQuotes.Update("MSFT", 1));

        Assert.Empty(queue.Take(Now).Messages);
    }

    [Fact]
    public void Wildcard_NewSymbol_FirstUpdateIsItsBaseline_RefusedSymbolsNotAdmitted()
    {
        var queue = new SubscriberQueue();
        queue.Restrict(s => s.StartsWith('A'));
        queue.SubscribeAll(TimeSpan.Zero);

        queue.Offer(TestQuotes.Update("ABC", 7));
        queue.Offer(TestQuotes.Update("XYZ", 1));

        Assert.Equal("ABC", Assert.IsType<Outgoing.Delta>(Assert.Single(queue.Take(Now).Messages)).Latest.Symbol);
        Assert.Equal(0, queue.NamedSymbols);
        Assert.True(queue.HasWildcard);
    }

    [Fact]
    public void Restrict_DropsWhatIsNoLongerCovered_ReturnsOnlyNamedOnes()
    {
        var queue = new SubscriberQueue();
        queue.Subscribe(["AAPL", "MSFT"], TimeSpan.Zero);
        queue.SubscribeAll(TimeSpan.Zero);
        queue.Offer(TestQuotes.Update("MQ", 1));

        var dropped = queue.Restrict(s => s == "AAPL");

        Assert.Equal(["MSFT"], dropped);
        Assert.Equal(1, queue.NamedSymbols);
    }

    [Fact]
    public void Unsubscribe_DropsPendingUpdates()
    {
        var queue = Subscribed(TimeSpan.Zero);
        queue.Offer(TestQuotes.Update("AAPL", 1));

        queue.Unsubscribe(["AAPL"]);

        Assert.Empty(queue.Take(Now).Messages);
        Assert.Equal(0, queue.NamedSymbols);
    }

    [Fact]
    public void CountNotNamed_RepeatsAndHeldSymbolsAndWildcard_NotCounted()
    {
        var queue = Subscribed(TimeSpan.Zero);

        Assert.Equal(1, queue.CountNotNamed(["AAPL", "MSFT", "MSFT", "*"]));
    }

    [Fact]
    public void Take_ControlMessagesFirst_ThenDeltas()
    {
        var queue = Subscribed(TimeSpan.Zero);
        queue.Offer(TestQuotes.Update("AAPL", 1));
        queue.Enqueue(new Outgoing.Encoded([1]));

        Assert.Collection(queue.Take(Now).Messages, m => Assert.IsType<Outgoing.Encoded>(m), m => Assert.IsType<Outgoing.Delta>(m));
    }

    [Fact]
    public void EnqueueRateLimited_WhileOneWaits_NotAddedAgain_AfterItWentOut_AddedAgain()
    {
        var queue = new SubscriberQueue();
        var error = new Outgoing.Encoded([1]);

        queue.EnqueueRateLimited(error);
        queue.EnqueueRateLimited(new Outgoing.Encoded([2]));
        var first = queue.Take(Now).Messages;
        queue.EnqueueRateLimited(new Outgoing.Encoded([3]));

        Assert.Same(error, Assert.Single(first));
        Assert.Equal(3, Assert.IsType<Outgoing.Encoded>(Assert.Single(queue.Take(Now).Messages)).Bytes[0]);
    }

    [Fact]
    public void WhenSignaled_AfterAnEmptyTake_CompletesOnTheNextOffer()
    {
        var queue = Subscribed(TimeSpan.Zero);
        queue.Take(Now);
        var signal = queue.WhenSignaled();
        var before = signal.IsCompleted;

        queue.Offer(TestQuotes.Update("AAPL", 1));

        Assert.False(before);
        Assert.True(signal.IsCompleted);
    }

    private static SubscriberQueue Subscribed(TimeSpan interval)
    {
        var queue = new SubscriberQueue();
        queue.Subscribe(["AAPL"], interval);
        queue.SetBaseline("AAPL", 0, []);
        return queue;
    }
}
