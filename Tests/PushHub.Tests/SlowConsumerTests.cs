using System.Net.WebSockets;
using Dapper;
using Ticker.Database.Ticks;

namespace Ticker.PushHub.Tests;

/// <summary>A reader that stops reading never delays the others, and is cut off after the stall timeout.</summary>
public sealed class SlowConsumerTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Hub:StallTimeout"] = "00:00:02";
        _hub.Settings["Hub:MaxConnectionsPerAddress"] = "3";
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task StalledReader_CutOffWhileOthersGetEverything()
    {
        await using var stalled = await WsClient.ConnectAsync(_ws);
        await using var healthy = await WsClient.ConnectAsync(_ws);
        await stalled.SendAsync("""{"op":"subscribe","symbols":["*"]}""");
        await healthy.SendAsync("""{"op":"subscribe","symbols":["*"]}""");
        await healthy.ReceiveUntilAsync(m => m.Is("subscribed"));

        // The healthy client reads all along and sees every symbol reach its last sequence number
        // (merging is allowed: it may not keep up with the burst, but it must end up current).
        var last = new Dictionary<string, long>();
        var reading = Task.Run(async () =>
        {
            while (last.Count < 500 || last.Values.Any(seq => seq < 600))
            {
                var message = await healthy.ReceiveUntilAsync(m => m.Is("delta") || m.Is("snapshot"));
                last[message.GetProperty("symbol").GetString()!] = message.GetProperty("seq").GetInt64();
            }
        });

        // Far more than the socket buffers hold, so the stalled client's sends block.
        var store = new TickStore(_hub.Database.DataSource);
        var start = DateTimeOffset.UtcNow;
        for (var batch = 0; batch < 30; batch++)
        {
            await store.AppendAsync(Enumerable.Range(0, 10_000).Select(i => new Tick($"S{i % 500}", start.AddTicks(batch * 10_000 + i), 100 + i % 7, 1)));
        }

        await reading;

        // The stalled one was dropped: reading now drains what the buffers held, then finds it gone.
        var dropped = false;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!dropped && DateTime.UtcNow < deadline)
        {
            try
            {
                dropped = await stalled.ReceiveAsync() is null;
            }
            catch (WebSocketException)
            {
                dropped = true; // reset by the hub
            }
            catch (OperationCanceledException)
            {
                break; // silence: the hub kept the connection open
            }
        }

        Assert.True(dropped, "the stalled client was never disconnected");
        Assert.All(last.Values, seq => Assert.Equal(600, seq));
    }

    [Fact]
    public async Task ConnectionsPerAddress_OverTheCap_Refused()
    {
        await using var one = await WsClient.ConnectAsync(_ws);
        await using var two = await WsClient.ConnectAsync(_ws);
        await using var three = await WsClient.ConnectAsync(_ws);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WsClient.ConnectAsync(_ws));

        Assert.Contains("429", refused.Message, StringComparison.Ordinal);
        await one.SendAsync("""{"op":"ping"}""");
        Assert.Equal("pong", (await one.ReceiveUntilAsync(m => !m.Is("heartbeat"))).Type());
    }
}
