namespace Ticker.EndToEnd;

/// <summary>The data channel carries only what its WebSocket may receive: a token for AAPL, subscribed to "*", never sees MSFT.</summary>
public sealed class JwtDataChannelTests(JwtDashboardHost host) : IClassFixture<JwtDashboardHost>
{
    [Fact]
    public async Task DataChannel_WildcardSubscriber_ReceivesOnlyEntitledSymbols()
    {
        var ws = new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = "/ws", Query = $"access_token={JwtDashboardHost.Token("dora", ["AAPL"])}" }.Uri;
        await using var peer = await NodeDataChannelTests.NodePeer.StartAsync(host.BaseAddress, "*", "--url", ws.ToString());
        var open = await peer.NextAsync(e => e.GetProperty("event").GetString() is "open" or "error");
        Assert.Equal("open", open.GetProperty("event").GetString());

        var symbols = new List<string>();
        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('MSFT', 401.11, 100)");
        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('NEWSYM', 1.11, 100)");
        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('AAPL', 151.23, 100)");
        var last = await peer.NextAsync(e =>
        {
            if (e.GetProperty("event").GetString() != "quote")
            {
                return false;
            }

            symbols.Add(e.GetProperty("symbol").GetString()!);
            return e.GetProperty("symbol").GetString() == "AAPL" && e.GetProperty("price").GetDecimal() == 151.23m && e.GetProperty("via").GetString() == "webrtc";
        });

        Assert.Equal("webrtc", last.GetProperty("via").GetString());
        Assert.All(symbols, s => Assert.Equal("AAPL", s));
    }
}
