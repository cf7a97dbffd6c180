using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>A connection's control messages are bounded by Hub:MaxQueuedBytes, whatever it asks for.</summary>
[Trait("Tier", "Fast")]
public sealed class QueueBudgetTests
{
    private const long Budget = 64 * 1024;

    private static Quote QuoteOf(string symbol) =>
        new(symbol, 1, 100m, null, null, 1, 100m, 100m, 100m, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Enqueue_PastTheBudget_CutOffAndEmptied()
    {
        var queue = new SubscriberQueue(Budget);
        var peak = 0L;
        for (var i = 0; i < 10_000 && queue.CutOffReason is null; i++)
        {
            queue.Enqueue(new Outgoing.Snapshot(QuoteOf($"S{i}")));
            peak = Math.Max(peak, queue.QueuedBytes);
        }

        Assert.InRange(peak, Budget - 1024, Budget);
        Assert.Contains("65536 bytes", queue.CutOffReason, StringComparison.Ordinal);
        Assert.Equal(0, queue.QueuedBytes);
        Assert.Empty(queue.Take(DateTimeOffset.UnixEpoch).Messages);
    }

    [Fact]
    public void Take_TheWritersBatchCountsUntilTheNextTake()
    {
        var queue = new SubscriberQueue(Budget);
        for (var i = 0; i < 150; i++)
        {
            queue.Enqueue(new Outgoing.Snapshot(QuoteOf($"S{i}")));
        }

        var (first, _) = queue.Take(DateTimeOffset.UnixEpoch);
        var heldWhileSending = queue.QueuedBytes;
        var (second, _) = queue.Take(DateTimeOffset.UnixEpoch);

        Assert.Equal(150, first.Count + second.Count);
        Assert.Equal(150 * SubscriberQueue.EstimateBytes(new Outgoing.Snapshot(QuoteOf("X"))), heldWhileSending);
        Assert.Equal(second.Count * SubscriberQueue.EstimateBytes(new Outgoing.Snapshot(QuoteOf("X"))), queue.QueuedBytes);
        Assert.Null(queue.CutOffReason);
    }

    [Fact]
    public void Take_LargeControlBacklog_TakenInBoundedBatches()
    {
        var queue = new SubscriberQueue(1 << 20);
        for (var i = 0; i < 2000; i++)
        {
            queue.Enqueue(new Outgoing.Snapshot(QuoteOf($"S{i}")));
        }

        var (batch, _) = queue.Take(DateTimeOffset.UnixEpoch);

        Assert.InRange(batch.Count, 1, 64 * 1024 / 320 + 1);
    }

    [Fact]
    public void EnqueueRateLimited_WhilePending_OnlyOneQueued()
    {
        var queue = new SubscriberQueue(Budget);
        for (var i = 0; i < 1000; i++)
        {
            queue.EnqueueRateLimited(new Outgoing.Encoded(new byte[100]));
        }

        var (first, _) = queue.Take(DateTimeOffset.UnixEpoch);
        queue.EnqueueRateLimited(new Outgoing.Encoded(new byte[100]));
        var (second, _) = queue.Take(DateTimeOffset.UnixEpoch);

        Assert.Single(first);
        Assert.Single(second);
        Assert.Null(queue.CutOffReason);
    }
}
