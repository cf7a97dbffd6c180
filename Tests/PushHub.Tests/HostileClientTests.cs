using Dapper;

namespace Ticker.PushHub.Tests;

/// <summary>A client that floods ops and never reads is ended with a reason; the others keep their prices.</summary>
public sealed class HostileClientTests : IAsyncLifetime
{
    private const int Symbols = 200;
    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Hub:MaxQueuedBytes"] = "65536";
        _hub.Settings["Hub:MaxOpsPerSecond"] = "10000";
        _hub.Settings["Hub:MaxSymbolsPerConnection"] = "1000";
        _hub.Settings["Hub:StallTimeout"] = "00:00:20";
        _ws = await _hub.StartOnSocketAsync();
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO ticks (symbol, price, size) SELECT 'H' || (i % @Symbols), 100 + i % 7, 1 FROM generate_series(0, @Rows - 1) i",
            new { Symbols, Rows = Symbols * 20 });
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task ResumeFlood_NeverReading_ClosedWith1008WhileOthersGetUpdates()
    {
        await using var healthy = await WsClient.ConnectAsync(_ws);
        await healthy.SendAsync("""{"op":"subscribe","symbols":["H1"]}""");
        await healthy.ReceiveUntilAsync(m => m.Is("snapshot", "H1"));

        using var hostile = await RawWsClient.ConnectAsync(_ws);
        var symbols = string.Join(',', Enumerable.Range(0, Symbols).Select(i => $"\"H{i}\""));
        var resume = string.Join(',', Enumerable.Range(0, Symbols).Select(i => $"\"H{i}\":1"));
        var flood = "{\"op\":\"subscribe\",\"symbols\":[" + symbols + "],\"resume\":{" + resume + "}}";
        var sent = 0;
        while (sent < 2000 && await hostile.TrySendTextAsync(flood))
        {
            sent++;
        }

        // The healthy client is served while (and after) the hub deals with the flood.
        await using (var connection = await _hub.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('H1', 555, 1)");
        }

        var delta = await healthy.ReceiveUntilAsync(m => m.Is("delta", "H1") && m.GetProperty("price").GetDecimal() == 555m);

        // Now the hostile client reads: what the hub sent before it gave up, then its close.
        var close = await hostile.ReadUntilCloseAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(close);
        Assert.Equal(1008, close.Value.Status);
        Assert.Contains("more than 65536 bytes", close.Value.Reason, StringComparison.Ordinal);
        Assert.Equal(555m, delta.GetProperty("price").GetDecimal());
        await healthy.SendAsync("""{"op":"ping","id":7}""");
        Assert.Equal("pong", (await healthy.ReceiveUntilAsync(m => !m.Is("heartbeat") && !m.Is("delta"))).Type());
    }
}
