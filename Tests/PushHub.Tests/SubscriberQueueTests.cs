using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>The per-connection queue between subscribe and baseline (found by the rolling-restart test).</summary>
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
}
