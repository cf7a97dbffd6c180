using Ticker.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticker.EndToEnd;

/// <summary>
/// The dashboard's WebRTC transports in headless Chromium against the hub's own WebRTC stack:
/// ICE-lite, DTLS, SCTP and DCEP nobody else wrote, checked by a browser that did not come from here.
/// </summary>
public sealed class WebRtcTests(WebRtcHost host) : DashboardPage(host), IClassFixture<WebRtcHost>
{
    [Fact]
    public async Task WebRtc_Direct_SqlTickArrivesOverTheDataChannel()
    {
        await OpenAsync("webrtc");

        Assert.NotEqual("relay", await Page.EvaluateAsync<string>("() => window.tickerDebug.candidateType()"));
        await InsertAndSeeAsync("AAPL", "123.45", via: "webrtc");
        await Expect(Page.GetByTestId("via")).ToHaveTextAsync("WebRTC · channel open");
        var path = Path.Combine(RepositoryRoot.Path, "Tests", "EndToEnd", "artifacts", "dashboard-webrtc.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path });
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task WebRtc_RelayOnly_ThroughTheBundledTurnRelay()
    {
        await OpenAsync("relay");

        // Every packet of the session went through the relay: the browser's side of the pair is a relayed address.
        Assert.Equal("relay", await Page.EvaluateAsync<string>("() => window.tickerDebug.candidateType()"));
        await InsertAndSeeAsync("MSFT", "432.10", via: "webrtc");
        await Expect(Page.GetByTestId("via")).ToHaveTextAsync("WebRTC via relay · channel open");
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task WebRtc_ChannelClosedAndReopened_UpdatesFollowTheOpenPath()
    {
        await OpenAsync("webrtc");
        await InsertAndSeeAsync("NVDA", "130.01", via: "webrtc");

        await Page.EvaluateAsync("() => window.tickerDebug.closeChannel()");
        await Page.WaitForFunctionAsync("() => window.tickerDebug.rtcState === 'closed'");
        await InsertAndSeeAsync("NVDA", "130.02", via: "websocket");

        await Page.EvaluateAsync("() => window.tickerDebug.reopenChannel()");
        await Page.WaitForFunctionAsync("() => window.tickerDebug.rtcState === 'open'");
        await InsertAndSeeAsync("NVDA", "130.03", via: "webrtc");
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task WebRtc_WebSocketReconnects_NewSessionNegotiated_UpdatesOverTheChannelAgain()
    {
        await OpenAsync("webrtc");
        await InsertAndSeeAsync("META", "501.01", via: "webrtc");

        // The hub ends a session with its signaling socket; the page offers again on the new one.
        var opens = await Page.EvaluateAsync<int>("() => window.tickerDebug.rtcOpens");
        await Page.EvaluateAsync("() => window.tickerDebug.reconnect()");
        await Page.WaitForFunctionAsync($"() => window.tickerDebug.rtcOpens > {opens} && window.tickerDebug.rtcState === 'open'");

        await InsertAndSeeAsync("META", "501.02", via: "webrtc");
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task WebRtc_SwitchBackToWebSocket_HubEndsTheSession_UpdatesContinue()
    {
        await OpenAsync("webrtc");

        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "WebSocket", Exact = true }).ClickAsync();
        await Page.WaitForFunctionAsync("() => window.tickerDebug.rtcState === 'closed'");
        // pc.close() ends DTLS (close_notify; an SCTP ABORT would do the same): the hub ends the session and says so on the WebSocket.
        await Page.WaitForFunctionAsync("() => /peer (sent close_notify|aborted)/.test(window.tickerDebug.hubRtcClosed ?? '')");
        await InsertAndSeeAsync("TSLA", "181.11", via: "websocket");
        await Expect(Page.GetByTestId("via")).ToHaveTextAsync("WebSocket");
        Assert.Empty(PageErrors);
    }

    private async Task OpenAsync(string transport)
    {
        await Page.GotoAsync($"/?transport={transport}");
        await Expect(Page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        await Page.WaitForFunctionAsync("() => window.tickerDebug.rtcState === 'open' || window.tickerDebug.rtcState === 'failed'");
        Assert.Equal("open", await Page.EvaluateAsync<string>("() => window.tickerDebug.rtcState + (window.tickerDebug.rtcReason ? ': ' + window.tickerDebug.rtcReason : '')"));
    }

    /// <summary>Inserts a tick as any feed would and waits for it in the table, counted on the expected path.</summary>
    private async Task InsertAndSeeAsync(string symbol, string price, string via)
    {
        var before = await Page.EvaluateAsync<int>($"() => window.tickerDebug.via['{via}']");
        await Host.InsertAsync($"INSERT INTO ticks (symbol, price, size) VALUES ('{symbol}', {price}, 100)");
        await Expect(Row(symbol).Locator("td.last")).ToHaveTextAsync(price);
        await Page.WaitForFunctionAsync($"() => window.tickerDebug.via['{via}'] > {before}");
    }
}
