using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>
/// A reader that takes each message just within the stall timeout does not evade it: a whole drain
/// of its queue must go out within Hub:StallTimeout. Time is a fake clock; sends complete when the
/// test says, so "1.5 s per message" is exact however the machine is loaded.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class TrickleReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task OneMessageEvery1Point5Seconds_StallTimeout2Seconds_Closed1008TooSlow()
    {
        var clock = new FakeTimeProvider();
        var socket = new ScriptedWebSocket();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new PushMetrics(services.GetRequiredService<IMeterFactory>());
        var options = new HubOptions { StallTimeout = TimeSpan.FromSeconds(2) };
        var session = new WebSocketSession(socket, new SubscriptionManager(new FanOut(null!, null!), null!), options, metrics, clock,
            NullLogger.Instance, batch: false);
        using var end = new CancellationTokenSource();
        for (var ping = 0; ping < 10; ping++)
        {
            socket.Incoming.Writer.TryWrite($$"""{"op":"ping","id":{{ping}}}""");
        }

        var running = session.RunAsync(end.Token);

        // Each send is accepted 1.5 s after it began: never one send over the timeout, yet the
        // drains fall further behind with every message.
        // The close comes from a timer continuation after an Advance, so the test waits for the next
        // send or the close, whichever comes first, instead of checking the close before waiting.
        var accepted = 0;
        while (accepted < 10)
        {
            var next = socket.NextSendAsync(Patience);
            if (await Task.WhenAny(next, socket.Closed.Task) != next)
            {
                break;
            }

            var send = await next;
            // Every pong queued before the first is accepted, so they form one drain (the reader
            // handles all ten pings while the first send is pending).
            await socket.Starved.Task.WaitAsync(Patience);
            clock.Advance(TimeSpan.FromSeconds(1.5));
            send.TrySetResult();
            accepted++;
        }

        var (status, reason) = await socket.Closed.Task.WaitAsync(Patience);
        await end.CancelAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("too slow", reason);
        Assert.InRange(accepted, 1, 9);
        _ = running; // ends with the test's cancellation
    }
}
