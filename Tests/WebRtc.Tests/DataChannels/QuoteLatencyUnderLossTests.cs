using Ticker.PushHub.WebRtc;

namespace Ticker.WebRtc.Tests.DataChannels;

/// <summary>
/// The promise of the unordered, <c>maxRetransmits: 0</c> quote channel under loss, in virtual time
/// (<see cref="QuoteStream"/> over <see cref="LossyLink"/>): no delivered quote waits behind lost or
/// stale ones for longer than the hub's send-queue bound, while congestion control still decides how
/// much is in flight. The figures are virtual time: exact and repeatable, no wall clock is read.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class QuoteLatencyUnderLossTests
{
    // What a quote may wait beyond the link's own delay: the hub's send-queue bound plus a millisecond
    // tick of the simulation (quotes are queued on whole milliseconds).
    private static readonly TimeSpan Bound = PeerSession.QuoteMaxQueueTime + TimeSpan.FromMilliseconds(1);

    [Theory]
    [InlineData(0.05, 10)]
    [InlineData(0.20, 10)]
    public void Loopback_NoDeliveredQuoteWaitsBehindStaleOnes(double loss, int burst)
    {
        // 1,000 quotes/s in bursts of ten every 10 ms, as a feed's batches arrive; 1 ms each way.
        // (Before the send-queue bound: at 20 % a quote waited up to 13.5 s.)
        var stream = QuoteStream.Run(seed: 16, loss, TimeSpan.FromMilliseconds(1), seconds: 5, burst: burst, maxQueueTime: PeerSession.QuoteMaxQueueTime);

        var worst = stream.ExtraWaits.Max();
        Assert.True(worst <= Bound, $"a quote waited {worst.TotalMilliseconds} ms beyond the link delay{Environment.NewLine}{stream.Describe()}");
        Assert.Equal(0, stream.Retransmissions); // maxRetransmits 0: abandoned, never sent again
        Assert.True(stream.Abandoned > 0 && stream.ForwardTsns > 0, stream.Describe());
    }

    [Theory]
    [InlineData(0.05, 0.90)]
    [InlineData(0.20, 0.75)]
    public void Loopback_EvenlySpacedQuotes_AllButTheLostOnesArriveWithoutWaiting(double loss, double delivered)
    {
        var stream = QuoteStream.Run(seed: 17, loss, TimeSpan.FromMilliseconds(1), seconds: 5, maxQueueTime: PeerSession.QuoteMaxQueueTime);

        Assert.True(stream.DeliveredFraction >= delivered, stream.Describe());
        Assert.True(QuoteStream.Percentile(stream.ExtraWaits, 0.999) <= TimeSpan.FromMilliseconds(2), stream.Describe());
        Assert.Empty(stream.T3Expiries);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.20)]
    public void LongerPath_CongestionControlLimitsButQueuedQuotesNeverGoStale(double loss)
    {
        // 20 ms each way: 1,000 quotes/s need more than the window allows after losses, so quotes
        // queue; the queue bound keeps what is delivered fresh instead of seconds old.
        var stream = QuoteStream.Run(seed: 18, loss, TimeSpan.FromMilliseconds(20), seconds: 5, maxQueueTime: PeerSession.QuoteMaxQueueTime);

        Assert.True(QuoteStream.Percentile(stream.ExtraWaits, 0.99) <= Bound, stream.Describe());
        Assert.Equal(0, stream.Refused); // the queue never fills: stale quotes leave it
        Assert.True(stream.Samples.Max(s => s.Flight) <= stream.Samples.Max(s => s.Cwnd) + 1200, "in flight beyond the window");
    }
}
