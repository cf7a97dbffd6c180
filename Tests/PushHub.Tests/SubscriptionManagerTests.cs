using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Identity;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Subscribe and resume, the same for every transport, over a fake quote feed and the real fan-out:
/// snapshots, replays, resets, the wildcard's entitlements, and updates that reach the queue.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class SubscriptionManagerTests : IDisposable
{
    private static readonly Dictionary<string, long> NoResume = [];

    private readonly FakeQuoteFeed _feed = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PushMetrics _metrics;
    private readonly FanOut _fanOut;
    private readonly SubscriptionManager _subscriptions;

    public SubscriptionManagerTests()
    {
        _metrics = new PushMetrics(_services.GetRequiredService<IMeterFactory>());
        _fanOut = new FanOut(_feed, _metrics);
        _fanOut.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _subscriptions = new SubscriptionManager(_fanOut, _feed);
        _feed.Book["AAPL"] = TestQuotes.Quote("AAPL", 10);
        _feed.Book["MSFT"] = TestQuotes.Quote("MSFT", 3);
    }

    public void Dispose()
    {
        _fanOut.Dispose();
        _feed.Dispose();
        _metrics.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void Subscribe_KnownSymbol_SnapshotThenLaterUpdatesOnly()
    {
        var queue = new SubscriberQueue();

        _subscriptions.Subscribe(queue, Entitlements.Anonymous, ["AAPL"], null, NoResume);
        queue.Offer(TestQuotes.Update("AAPL", 10));
        queue.Offer(TestQuotes.Update("AAPL", 11));

        Assert.Collection(Take(queue),
            m => Assert.Equal(10, Assert.IsType<Outgoing.Snapshot>(m).Quote.Seq),
            m => Assert.Equal(11, Assert.IsType<Outgoing.Delta>(m).Latest.Seq));
        Assert.Equal(1, _fanOut.SubscriberCount("AAPL"));
    }

    [Fact]
    public void Subscribe_UnknownSymbol_NoSnapshot_ItsFirstUpdateGoesOut()
    {
        var queue = new SubscriberQueue();

        _subscriptions.Subscribe(queue, Entitlements.Anonymous, ["NEW"], null, NoResume);
        var before = Take(queue);
        queue.Offer(TestQuotes.Update("NEW", 1));

        Assert.Empty(before);
        Assert.Equal(1, Assert.IsType<Outgoing.Delta>(Assert.Single(Take(queue))).Latest.Seq);
    }

    [Fact]
    public void Resume_PositionHeld_MissedUpdatesReplayed_NoSnapshot()
    {
        _feed.Held["AAPL"] = (5, [Update(9), Update(10)]);
        var queue = new SubscriberQueue();

        _subscriptions.Subscribe(queue, Entitlements.Anonymous, ["AAPL"], null, new Dictionary<string, long> { ["AAPL"] = 8 });

        Assert.Equal([9L, 10L], Take(queue).Select(m => Assert.IsType<Outgoing.Delta>(m).Latest.Seq));
    }

    [Fact]
    public void Resume_PositionNoLongerHeld_ResetThenSnapshot()
    {
        _feed.Held["AAPL"] = (5, [Update(9), Update(10)]);
        var queue = new SubscriberQueue();

        _subscriptions.Subscribe(queue, Entitlements.Anonymous, ["AAPL"], null, new Dictionary<string, long> { ["AAPL"] = 2 });

        Assert.Collection(Take(queue),
            m => Assert.Equal("resume position 2 is no longer held", Assert.IsType<Outgoing.Reset>(m).Reason),
            m => Assert.Equal(10, Assert.IsType<Outgoing.Snapshot>(m).Quote.Seq));
    }

    [Fact]
    public void Resume_ReplayOverHalfTheBudget_ResetThenSnapshot()
    {
        _feed.Held["AAPL"] = (0, [.. Enumerable.Range(1, 10).Select(seq => Update(seq))]);
        var queue = new SubscriberQueue(maxQueuedBytes: 4 * SubscriberQueue.DeltaBytes);

        _subscriptions.Subscribe(queue, Entitlements.Anonymous, ["AAPL"], null, new Dictionary<string, long> { ["AAPL"] = 0 });

        var reset = Assert.IsType<Outgoing.Reset>(Take(queue)[0]);
        Assert.Contains("Hub:MaxQueuedBytes", reset.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Wildcard_SnapshotsOnlyOfCoveredSymbols_AndOnlyTheirUpdates()
    {
        var caller = new Entitlements("ann", ["A*"], [Scopes.Subscribe], null);
        var queue = new SubscriberQueue();

        _subscriptions.Subscribe(queue, caller, ["*"], null, NoResume);
        var snapshots = Take(queue);
        _feed.Publish(new QuoteUpdate(TestQuotes.Quote("MSFT", 4), QuoteFields.Last, TestQuotes.Start));
        _feed.Publish(new QuoteUpdate(TestQuotes.Quote("ABC", 1), QuoteFields.Last, TestQuotes.Start));

        Assert.Equal("AAPL", Assert.IsType<Outgoing.Snapshot>(Assert.Single(snapshots)).Quote.Symbol);
        Assert.Equal(1, _fanOut.WildcardCount);
        Assert.Equal("ABC", Assert.IsType<Outgoing.Delta>(Assert.Single(Take(queue))).Latest.Symbol);
    }

    [Fact]
    public void Subscribe_NotEntitled_Throws_NothingRegistered()
    {
        var caller = new Entitlements("ann", ["AAPL"], [Scopes.Subscribe], null);
        var queue = new SubscriberQueue();

        var error = Assert.Throws<InvalidOperationException>(() => _subscriptions.Subscribe(queue, caller, ["AAPL", "MSFT"], null, NoResume));

        Assert.StartsWith("MSFT", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fanOut.SubscriberCount("AAPL"));
    }

    [Fact]
    public void MaxRate_TwoPerSecond_HalfASecondBetweenDeltas()
    {
        var queue = new SubscriberQueue();
        _subscriptions.Subscribe(queue, Entitlements.Anonymous, ["MSFT"], 2, NoResume);
        Take(queue);
        queue.Offer(TestQuotes.Update("MSFT", 4));
        queue.Offer(TestQuotes.Update("MSFT", 5));

        Assert.Single(queue.Take(TestQuotes.Start).Messages);
        queue.Offer(TestQuotes.Update("MSFT", 6));
        Assert.Equal(TestQuotes.Start.AddSeconds(0.5), queue.Take(TestQuotes.Start).Next);
    }

    [Fact]
    public void Restrict_RefreshedTokenCoversLess_DroppedAndUnregistered()
    {
        var queue = new SubscriberQueue();
        _subscriptions.Subscribe(queue, Entitlements.Anonymous, ["AAPL", "MSFT"], null, NoResume);

        var dropped = _subscriptions.Restrict(queue, new Entitlements("ann", ["AAPL"], [Scopes.Subscribe], null));

        Assert.Equal(["MSFT"], dropped);
        Assert.Equal(0, _fanOut.SubscriberCount("MSFT"));
        Assert.Equal(1, _fanOut.SubscriberCount("AAPL"));
    }

    [Fact]
    public void Forget_ConnectionEnded_UnregisteredEverywhere()
    {
        var queue = new SubscriberQueue();
        _subscriptions.Subscribe(queue, Entitlements.Anonymous, ["AAPL", "*"], null, NoResume);

        _subscriptions.Forget(queue);

        Assert.Equal(0, _fanOut.SubscriberCount("AAPL"));
        Assert.Equal(0, _fanOut.WildcardCount);
    }

    private static QuoteUpdate Update(long seq) => new(TestQuotes.Quote("AAPL", seq), QuoteFields.Last, TestQuotes.Start);

    private static List<Outgoing> Take(SubscriberQueue queue) => queue.Take(TestQuotes.Start).Messages;
}
