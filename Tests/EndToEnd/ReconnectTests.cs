using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ticker.EndToEnd;

/// <summary>
/// The page's WebSocket client after a dropped connection (the real hub behind a Playwright
/// WebSocket route that can cut it) and against protocol edge cases (a scripted server).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ReconnectTests(DashboardHost host) : DashboardPage(host)
{
    /// <summary>The hub's WebSocket, with or without a query (the page asks for <c>/ws?batch=1</c>).</summary>
    private static readonly Regex HubSocket = new(@"/ws(\?.*)?$");

    [Fact]
    public async Task Dashboard_ConnectionDropped_ReconnectsWithResumeAndStaysLive()
    {
        var connections = new List<IWebSocketRoute>();
        var subscribes = new List<TaskCompletionSource<JsonElement>> { NewSignal(), NewSignal() };
        await Page.RouteWebSocketAsync(HubSocket, page =>
        {
            int index;
            lock (connections)
            {
                index = connections.Count;
                connections.Add(page);
            }

            var server = page.ConnectToServer();
            page.OnMessage(frame =>
            {
                var message = JsonDocument.Parse(frame.Text!).RootElement.Clone();
                if (message.GetProperty("op").GetString() == "subscribe" && index < subscribes.Count)
                {
                    subscribes[index].TrySetResult(message);
                }

                server.Send(frame.Text!);
            });
        });
        await Page.GotoAsync("/");
        await Expect(Page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        await subscribes[0].Task.WaitAsync(TimeSpan.FromMilliseconds(Patience));
        await Page.WaitForFunctionAsync("() => window.tickerDebug.positions().AAPL > 0");
        var held = await Page.EvaluateAsync<long>("() => window.tickerDebug.positions().AAPL");
        var epoch = await Page.EvaluateAsync<string>("() => window.tickerDebug.epoch()");

        await connections[0].CloseAsync(new() { Code = 1012, Reason = "hub restart" });

        var resubscribe = await subscribes[1].Task.WaitAsync(TimeSpan.FromMilliseconds(Patience));
        Assert.Equal(held, resubscribe.GetProperty("resume").GetProperty("AAPL").GetInt64());
        // The positions' epoch (docs/protocol.md#positions-and-epochs) goes with them.
        Assert.Matches("^[0-9a-f]{12}$", epoch);
        Assert.Equal(epoch, resubscribe.GetProperty("epoch").GetString());
        await Expect(Page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        await Host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('AAPL', 149.99, 100)");
        await Expect(Row("AAPL").Locator("td.last")).ToHaveTextAsync("149.99");
        Assert.Equal(held + 1, await Page.EvaluateAsync<long>("() => window.tickerDebug.positions().AAPL"));
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task Dashboard_SeqGapThenReset_ResumesFromLastContiguousAndTakesSnapshot()
    {
        var connections = 0;
        var resubscribe = NewSignal();
        await Page.RouteWebSocketAsync(HubSocket, page =>
        {
            var connection = Interlocked.Increment(ref connections);
            page.OnMessage(frame =>
            {
                var message = JsonDocument.Parse(frame.Text!).RootElement.Clone();
                if (message.GetProperty("op").GetString() != "subscribe")
                {
                    return;
                }

                if (connection == 1)
                {
                    // 13 and 14 never arrive: the page must notice and resume from 12.
                    page.Send(Quote("snapshot", 10, 100.10m, ""","bid":100.09,"ask":100.11,"open":100,"high":101,"low":99,"volume":5000,"change":0.1,"changePercent":0.1"""));
                    // One batched frame (/ws?batch=1); what follows the gap in it must be ignored.
                    page.Send($"[{Quote("delta", 11, 100.20m, "")},{Quote("delta", 12, 100.30m, "")},"
                        + $"{Quote("delta", 15, 100.60m, "")},{Quote("delta", 16, 100.70m, "")}]");
                }
                else
                {
                    resubscribe.TrySetResult(message);
                    page.Send("""{"type":"reset","symbol":"AAPL","seq":40,"reason":"resume position 12 is no longer held"}""");
                    page.Send(Quote("snapshot", 40, 104.00m, ""","bid":103.99,"ask":104.01,"open":100,"high":104,"low":99,"volume":9000,"change":4,"changePercent":4"""));
                    page.Send(Quote("delta", 42, 104.25m, ""","merged":2"""));
                }
            });
        });

        await Page.GotoAsync("/");

        var message = await resubscribe.Task.WaitAsync(TimeSpan.FromMilliseconds(Patience));
        Assert.Equal(12, message.GetProperty("resume").GetProperty("AAPL").GetInt64());
        await Expect(Row("AAPL").Locator("td.last")).ToHaveTextAsync("104.25");
        await Expect(Row("AAPL").Locator("td.change")).ToHaveTextAsync("+4.00");
        Assert.Equal(42, await Page.EvaluateAsync<long>("() => window.tickerDebug.positions().AAPL"));
        Assert.Equal(2, connections);
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task Dashboard_SilentLink_PingsThenReconnects()
    {
        // A link that goes quiet: the scripted hub answers the first subscribe, then never says a word.
        var connections = 0;
        var ping = NewSignal();
        var reconnected = NewSignal();
        await Page.Clock.InstallAsync();
        await Page.RouteWebSocketAsync(HubSocket, page =>
        {
            var connection = Interlocked.Increment(ref connections);
            page.OnMessage(frame =>
            {
                var message = JsonDocument.Parse(frame.Text!).RootElement.Clone();
                switch (message.GetProperty("op").GetString(), connection)
                {
                    case ("subscribe", 1):
                        page.Send(Quote("snapshot", 5, 100.00m, ""));
                        break;
                    case ("ping", 1):
                        ping.TrySetResult(message);
                        break;
                    case ("subscribe", _):
                        reconnected.TrySetResult(message);
                        break;
                }
            });
        });
        await Page.GotoAsync("/");
        await Expect(Page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        await Expect(Row("AAPL").Locator("td.last")).ToHaveTextAsync("100.00");

        await Page.Clock.FastForwardAsync("00:30");
        await ping.Task.WaitAsync(TimeSpan.FromMilliseconds(Patience));
        await Page.Clock.FastForwardAsync("00:30");

        var resubscribe = await reconnected.Task.WaitAsync(TimeSpan.FromMilliseconds(Patience));
        Assert.Equal(5, resubscribe.GetProperty("resume").GetProperty("AAPL").GetInt64());
        Assert.Empty(PageErrors);
    }

    private static TaskCompletionSource<JsonElement> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Quote(string type, long seq, decimal price, string more) =>
        $$"""{"type":"{{type}}","symbol":"AAPL","seq":{{seq}},"price":{{price}},"size":100,"ts":"{{DateTimeOffset.UtcNow:O}}"{{more}}}""";
}
