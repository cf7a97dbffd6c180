using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>
/// The transport-neutral delivery loop against a recording sink, on a fake clock: order, batches,
/// closes, heartbeats, rate limits, the stall timeout and the over-budget cut-off, with no socket.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class DeliveryPumpTests : IDisposable
{
    private static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();

    private readonly FakeTimeProvider _clock = new(TestQuotes.Start);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PushMetrics _metrics;
    private readonly RecordingSink _sink = new();
    private readonly CancellationTokenSource _end = new();
    private readonly HubOptions _options = new() { StallTimeout = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromSeconds(15) };

    public DeliveryPumpTests() => _metrics = new PushMetrics(_services.GetRequiredService<IMeterFactory>());

    public void Dispose()
    {
        _end.Cancel();
        _end.Dispose();
        _metrics.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task Drain_SeveralQueued_OneWriteManyInOrder()
    {
        var queue = new SubscriberQueue();
        queue.Enqueue(new Outgoing.Encoded([1]));
        queue.Enqueue(new Outgoing.Encoded([2]));
        queue.Enqueue(new Outgoing.Encoded([3]));
        var running = Start(queue);

        var call = await _sink.NextAsync();

        Assert.Equal("many", call.Kind);
        Assert.Equal([1, 2, 3], call.Messages.Select(m => Assert.IsType<Outgoing.Encoded>(m).Bytes[0]));
        await StopAsync(running);
    }

    [Fact]
    public async Task Drain_OneQueued_WriteOne()
    {
        var queue = new SubscriberQueue();
        var running = Start(queue);

        queue.Enqueue(new Outgoing.Encoded(Pong));
        var call = await _sink.NextAsync();

        Assert.Equal("one", call.Kind);
        Assert.Same(Pong, Assert.IsType<Outgoing.Encoded>(Assert.Single(call.Messages)).Bytes);
        await StopAsync(running);
    }

    [Fact]
    public async Task Close_QueuedBehindMessages_MessagesFirstThenCloseWithItsReason()
    {
        var queue = new SubscriberQueue();
        queue.Enqueue(new Outgoing.Encoded([1]));
        queue.Enqueue(new Outgoing.Close(CloseReason.Restarting));
        queue.Enqueue(new Outgoing.Encoded([2]));

        await Start(queue).WaitAsync(TimeSpan.FromSeconds(15));

        var call = await _sink.NextAsync();
        Assert.Equal([1], call.Messages.Select(m => Assert.IsType<Outgoing.Encoded>(m).Bytes[0]));
        Assert.Same(CloseReason.Restarting, await _sink.Closed.Task);
        Assert.False(_sink.Calls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task OverBudget_CutOff_ClosedOverBudgetWithTheQueuesReason()
    {
        var queue = new SubscriberQueue(maxQueuedBytes: 1000);
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(new Outgoing.Snapshot(TestQuotes.Quote($"S{i}", 1)));
        }

        var running = Start(queue);

        var reason = await _sink.Closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await running.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(CloseKind.OverBudget, reason.Kind);
        Assert.Equal(queue.CutOffReason, reason.Text);
    }

    [Fact]
    public async Task Stall_DrainNotAcceptedWithinStallTimeout_ClosedTooSlow()
    {
        _sink.Hold = true;
        var queue = new SubscriberQueue();
        var running = Start(queue);
        queue.Enqueue(new Outgoing.Encoded(Pong));
        var pending = await _sink.NextAsync();

        _clock.Advance(_options.StallTimeout);

        Assert.Same(CloseReason.TooSlow, await _sink.Closed.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        await running.WaitAsync(TimeSpan.FromSeconds(15));
        pending.Accept.TrySetResult(true);
    }

    [Fact]
    public async Task Stall_AcceptedJustWithinStallTimeout_NotClosed()
    {
        _sink.Hold = true;
        var queue = new SubscriberQueue();
        var running = Start(queue);
        queue.Enqueue(new Outgoing.Encoded(Pong));
        var pending = await _sink.NextAsync();
        _clock.Advance(_options.StallTimeout - TimeSpan.FromMilliseconds(1));
        pending.Accept.TrySetResult(true);

        // A barrier: the next message is written, so the pump went on rather than closing.
        queue.Enqueue(new Outgoing.Encoded(Pong));
        var next = await _sink.NextAsync();

        Assert.False(_sink.Closed.Task.IsCompleted);
        next.Accept.TrySetResult(true);
        await StopAsync(running);
    }

    [Fact]
    public async Task Write_PeerGone_StopsWithoutAClose()
    {
        _sink.Gone = true;
        var queue = new SubscriberQueue();
        queue.Enqueue(new Outgoing.Encoded(Pong));

        await Start(queue).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.False(_sink.Closed.Task.IsCompleted);
    }

    [Fact]
    public async Task Quiet_HeartbeatInterval_Heartbeat()
    {
        var running = Start(new SubscriberQueue());

        _clock.Advance(_options.HeartbeatInterval);
        var call = await _sink.NextAsync();

        Assert.Equal("heartbeat", call.Kind);
        Assert.Equal(TestQuotes.Start + _options.HeartbeatInterval, call.Heartbeat);
        await StopAsync(running);
    }

    [Fact]
    public async Task RateLimited_UpdatesWithinTheInterval_MergedAndSentWhenItPasses()
    {
        var queue = new SubscriberQueue();
        queue.Subscribe(["AAPL"], TimeSpan.FromSeconds(1));
        queue.SetBaseline("AAPL", 0, []);
        var running = Start(queue);
        queue.Offer(TestQuotes.Update("AAPL", 1));
        Assert.Equal(1, SingleDelta(await _sink.NextAsync()).Latest.Seq);

        queue.Offer(TestQuotes.Update("AAPL", 2, QuoteFields.Last));
        queue.Offer(TestQuotes.Update("AAPL", 3, QuoteFields.Size));
        // A barrier: the pong is sent at once, the held delta not before the interval passed.
        queue.Enqueue(new Outgoing.Encoded(Pong));
        var beforeInterval = await _sink.NextAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var merged = SingleDelta(await _sink.NextAsync());

        Assert.IsType<Outgoing.Encoded>(Assert.Single(beforeInterval.Messages));
        Assert.Equal(3, merged.Latest.Seq);
        Assert.Equal(2, merged.Merged);
        Assert.Equal(QuoteFields.Last | QuoteFields.Size, merged.Changed);
        await StopAsync(running);
    }

    [Fact]
    public async Task TakeDue_SinksOwnMessages_EachWrittenAfterTheDrain()
    {
        var queue = new SubscriberQueue();
        _sink.Due.Enqueue([new Outgoing.Encoded([7]), new Outgoing.Encoded([8])]);
        queue.Enqueue(new Outgoing.Encoded([1]));
        var running = Start(queue);

        var drained = await _sink.NextAsync();
        var first = await _sink.NextAsync();
        var second = await _sink.NextAsync();

        Assert.Equal(1, Assert.IsType<Outgoing.Encoded>(Assert.Single(drained.Messages)).Bytes[0]);
        Assert.Equal(7, Assert.IsType<Outgoing.Encoded>(Assert.Single(first.Messages)).Bytes[0]);
        Assert.Equal(8, Assert.IsType<Outgoing.Encoded>(Assert.Single(second.Messages)).Bytes[0]);
        await StopAsync(running);
    }

    private static Outgoing.Delta SingleDelta(RecordingSink.Call call) => Assert.IsType<Outgoing.Delta>(Assert.Single(call.Messages));

    private Task Start(SubscriberQueue queue) =>
        new DeliveryPump(queue, _sink, _options, _metrics, _clock, NullLogger.Instance).RunAsync(_end.Token);

    private async Task StopAsync(Task running)
    {
        await _end.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
