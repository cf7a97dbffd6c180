using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>
/// maxRate holds a symbol's deltas back until the hub's own clock allows the next: the WebSocket
/// sessions run on a fake clock that only the test moves, so the assertion holds however slowly
/// the machine runs, and ping/pong barriers prove what was not sent.
/// </summary>
public sealed class MaxRateTimingTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private readonly FakeTimeProvider _clock = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.TestServices = services => services.AddSingleton(sp => ActivatorUtilities.CreateInstance<WebSocketEndpoint>(sp, (TimeProvider)_clock));
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    private async Task InsertAsync(decimal price, int count)
    {
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        for (var i = 0; i < count; i++)
        {
            await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('RATE', @price, 100)", new { price = price + i });
        }
    }

    [Fact]
    public async Task MaxRate_NextDeltaOnlyAfterTheIntervalOnTheHubsClock_BurstMergedIntoIt()
    {
        await using var limited = await WsClient.ConnectAsync(_ws);
        await using var unlimited = await WsClient.ConnectAsync(_ws);
        await limited.SendAsync("""{"op":"subscribe","symbols":["RATE"],"maxRate":0.5}""");
        await unlimited.SendAsync("""{"op":"subscribe","symbols":["RATE"]}""");
        await limited.ReceiveUntilAsync(m => m.Is("subscribed"));
        await unlimited.ReceiveUntilAsync(m => m.Is("subscribed"));

        await InsertAsync(10m, 1);
        var first = await limited.ReceiveUntilAsync(m => m.Is("delta", "RATE") || m.Is("snapshot", "RATE"));
        await InsertAsync(11m, 9);
        // The fan-out offers an update to every queue at once: once the unlimited client has seq 10,
        // the limited one's queue holds all nine.
        while ((await unlimited.ReceiveUntilAsync(m => m.Is("delta", "RATE"))).GetProperty("seq").GetInt64() < 10)
        {
        }

        var early = await MessagesBeforePongAsync(limited);
        _clock.Advance(TimeSpan.FromSeconds(1.9));
        var almost = await MessagesBeforePongAsync(limited);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var second = await limited.ReceiveUntilAsync(m => m.Is("delta", "RATE"));

        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.DoesNotContain(early, m => m.Is("delta", "RATE"));
        Assert.DoesNotContain(almost, m => m.Is("delta", "RATE"));
        Assert.Equal(10, second.GetProperty("seq").GetInt64());
        Assert.Equal(9, second.GetProperty("merged").GetInt32());
        Assert.Equal(19m, second.GetProperty("price").GetDecimal());
    }

    /// <summary>
    /// Two pings: a delta the rate allowed would go out in the same drain as the first pong (deltas
    /// follow control messages), so nothing of the symbol before the second pong means it was held.
    /// </summary>
    private static async Task<List<System.Text.Json.JsonElement>> MessagesBeforePongAsync(WsClient client)
    {
        var seen = new List<System.Text.Json.JsonElement>();
        for (var ping = 0; ping < 2; ping++)
        {
            await client.SendAsync($$"""{"op":"ping","id":{{ping}}}""");
            while (true)
            {
                var message = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed");
                if (message.Is("pong"))
                {
                    break;
                }

                seen.Add(message);
            }
        }

        return seen;
    }
}
