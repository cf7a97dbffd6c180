namespace Ticker.PushHub.Push;

/// <summary>
/// The delivery loop of one subscriber, the same for every transport: drains its
/// <see cref="SubscriberQueue"/> into an <see cref="ISubscriberSink"/>, sends heartbeats while the
/// symbols are quiet, and ends the connection when the queue is cut off (over budget), when a close
/// is queued, or when a drain is not accepted within <see cref="HubOptions.StallTimeout"/> — the whole
/// drain, not each message, so a reader taking one message now and then cannot hold the hub's
/// messages for ever. Only the pump writes to its sink, so a stalled client blocks only itself.
/// </summary>
internal sealed class DeliveryPump(SubscriberQueue queue, ISubscriberSink sink, HubOptions options, PushMetrics metrics, TimeProvider clock, ILogger logger)
{
    // When the current drain began: every write of it must be accepted by StallTimeout after.
    private DateTimeOffset _drainStarted;

    private enum Delivery
    {
        Done,
        Gone,
        Stalled,
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var lastSent = clock.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var (messages, next) = queue.Take(now);
            _drainStarted = now;
            if (queue.CutOffReason is { } overBudget)
            {
                metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", "over budget"));
                PushLog.ClientOverBudget(logger, overBudget);
                await sink.CloseAsync(new CloseReason(CloseKind.OverBudget, overBudget));
                return;
            }

            var closeAt = messages.FindIndex(m => m is Outgoing.Close);
            if (closeAt >= 0)
            {
                // What was queued before the close still goes out first (a draining hub's "reconnect").
                var close = (Outgoing.Close)messages[closeAt];
                if (await DeliverAsync(messages.GetRange(0, closeAt), cancellationToken) != Delivery.Stalled)
                {
                    await sink.CloseAsync(close.Reason);
                }

                return;
            }

            if (await DeliverAsync(messages, cancellationToken) != Delivery.Done)
            {
                return;
            }

            if (sink.TakeDue(now) is { Count: > 0 } due)
            {
                foreach (var message in due)
                {
                    if (await AwaitAsync(sink.WriteAsync(message, cancellationToken), cancellationToken) != Delivery.Done)
                    {
                        return;
                    }

                    metrics.MessagesSent.Add(1);
                }

                lastSent = now;
                continue;
            }

            if (messages.Count > 0)
            {
                lastSent = now;
                continue;
            }

            // While the symbols are quiet a heartbeat shows the connection is alive, and a write to a
            // peer that is gone fails, which ends it.
            var heartbeatDue = lastSent + options.HeartbeatInterval;
            if (now >= heartbeatDue)
            {
                if (await AwaitAsync(sink.WriteHeartbeatAsync(now, cancellationToken), cancellationToken) != Delivery.Done)
                {
                    return;
                }

                metrics.MessagesSent.Add(1);
                lastSent = now;
                continue;
            }

            var wake = next is { } n && n < heartbeatDue ? n : heartbeatDue;
            wake = sink.NextDue is { } own && own < wake ? own : wake;
            try
            {
                await queue.WhenSignaled().WaitAsync(wake - now, clock, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async ValueTask<Delivery> DeliverAsync(List<Outgoing> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return Delivery.Done;
        }

        var write = messages.Count == 1 ? sink.WriteAsync(messages[0], cancellationToken) : sink.WriteManyAsync(messages, cancellationToken);
        var delivered = await AwaitAsync(write, cancellationToken);
        if (delivered != Delivery.Done)
        {
            return delivered;
        }

        metrics.MessagesSent.Add(messages.Count);
        var handed = clock.GetUtcNow();
        foreach (var message in messages)
        {
            if (message is Outgoing.Delta delta)
            {
                metrics.MergedUpdates.Add(delta.Merged - 1);
                metrics.Latency.Record((handed - delta.Latest.Update.CommitTime).TotalMilliseconds);
            }
        }

        return Delivery.Done;
    }

    /// <summary>
    /// Waits for a write until the drain's stall deadline. A stalled client is closed with
    /// <see cref="CloseKind.TooSlow"/> (the sink sends that close if it can still get through).
    /// </summary>
    private async ValueTask<Delivery> AwaitAsync(ValueTask<bool> write, CancellationToken cancellationToken)
    {
        try
        {
            if (write.IsCompleted)
            {
                return await write ? Delivery.Done : Delivery.Gone;
            }

            var left = _drainStarted + options.StallTimeout - clock.GetUtcNow();
            try
            {
                return await write.AsTask().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, clock, cancellationToken)
                    ? Delivery.Done
                    : Delivery.Gone;
            }
            catch (TimeoutException)
            {
                metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", "too slow"));
                PushLog.ClientTooSlow(logger, options.StallTimeout);
                await sink.CloseAsync(CloseReason.TooSlow);
                return Delivery.Stalled;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Delivery.Gone;
        }
    }
}
