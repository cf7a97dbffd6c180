using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticker.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticker.EndToEnd;

/// <summary>The dashboard at <c>/</c> in headless Chromium, fed by the hub's HTTP API and <c>/ws</c>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardHost host) : DashboardPage(host)
{
    [Fact]
    public async Task Dashboard_FirstVisit_FillsTableWithDefaultSymbols()
    {
        await Page.GotoAsync("/");

        var rows = Page.Locator("#quote-rows tr");
        await Expect(rows).ToHaveCountAsync(12);
        await Expect(rows.First).ToHaveAttributeAsync("data-symbol", "AAPL");
        foreach (var last in await Page.Locator("#quote-rows td.last").AllAsync())
        {
            await Expect(last).ToHaveTextAsync(new Regex(@"^\d[\d,]*\.\d+$"));
        }

        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task Dashboard_FewSymbolsKnownOnFirstVisit_DefaultListGrowsAsMoreAppear()
    {
        // The first look at the hub (a feed that has just started) knows three symbols; later looks know all.
        var looks = 0;
        await Page.RouteAsync("**/api/quotes", async route =>
        {
            var response = await route.FetchAsync();
            var all = JsonDocument.Parse(await response.TextAsync()).RootElement.EnumerateArray().ToList();
            var shown = Interlocked.Increment(ref looks) == 1 ? all.Take(3) : all;
            await route.FulfillAsync(new() { Response = response, Body = JsonSerializer.Serialize(shown) });
        });

        await Page.GotoAsync("/");

        await Expect(Page.Locator("#quote-rows tr")).ToHaveCountAsync(12);
        Assert.True(looks > 1);
        await Page.ReloadAsync();
        await Expect(Page.Locator("#quote-rows tr")).ToHaveCountAsync(12);
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task Dashboard_AddBoxTypedName_SuggestsTickersWithTheirNames()
    {
        await Host.InsertAsync("""
            INSERT INTO symbols (symbol, name, venue, asset_class, currency, time_zone, calendar, tick_size)
            VALUES ('AAPL', 'Apple Inc.', 'XNAS', 'equity', 'USD', 'America/New_York', 'us-equity', 0.01) ON CONFLICT DO NOTHING
            """);
        await Page.GotoAsync("/");

        await Page.Locator("#add-input").FillAsync("apple");

        await Expect(Page.Locator("#known-symbols option[value='AAPL']")).ToHaveTextAsync("Apple Inc. · XNAS");
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task Dashboard_TickInserted_AppearsInTable()
    {
        await Page.GotoAsync("/");
        await Expect(Page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        var aapl = Row("AAPL");
        await Expect(aapl.Locator("td.last")).Not.ToHaveTextAsync("—");
        await Expect(aapl.Locator("td.last")).Not.ToHaveTextAsync("123.45");

        await Host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('AAPL', 123.45, 100)");

        await Expect(aapl.Locator("td.last")).ToHaveTextAsync("123.45");
        // The hub's session change against the open, and the measured delay of that update.
        await Expect(aapl.Locator("td.change")).ToHaveTextAsync(new Regex("^[−+]?[\\d,.]+$"));
        await Expect(Page.GetByTestId("delay")).ToHaveTextAsync(new Regex(@"^\d+ ms$"));
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task Dashboard_SelectedSymbol_ChartShowsHistory()
    {
        await Page.GotoAsync("/");

        var chart = Page.GetByTestId("chart");
        await Expect(chart).ToHaveAttributeAsync("data-state", "ready");
        await Expect(Page.Locator("#chart-symbol")).ToHaveTextAsync("AAPL");
        Assert.True(await chart.Locator("canvas").CountAsync() > 0, "the chart drew no canvas");
        // One tick every 30 s over the last hour: about 60 one-minute bars.
        var bars = await Page.EvaluateAsync<int>("() => window.tickerDebug.barsLoaded");
        Assert.InRange(bars, 55, 61);
        Assert.Equal(bars.ToString(System.Globalization.CultureInfo.InvariantCulture), await chart.GetAttributeAsync("data-bars"));

        await Row("MSFT").ClickAsync();
        await Expect(Page.Locator("#chart-symbol")).ToHaveTextAsync("MSFT");
        await Expect(chart).ToHaveAttributeAsync("data-state", "ready");
        Assert.Equal("MSFT", await Page.EvaluateAsync<string>("() => window.tickerDebug.chartSymbol"));
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task Dashboard_AddAndRemoveSymbol_RememberedAfterReload()
    {
        await Page.GotoAsync("/");
        await Expect(Page.Locator("#quote-rows tr")).ToHaveCountAsync(12);

        await Page.Locator("#add-input").FillAsync("xom");
        await Page.Locator("#add-input").PressAsync("Enter");
        await Row("MSFT").HoverAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Remove MSFT" }).ClickAsync();
        await Page.ReloadAsync();

        await Expect(Row("XOM").Locator("td.last")).Not.ToHaveTextAsync("—");
        await Expect(Row("MSFT")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#quote-rows tr")).ToHaveCountAsync(12);
        await Expect(Page.Locator("#chart-symbol")).ToHaveTextAsync("XOM"); // the added symbol was selected
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task Dashboard_Loaded_SavesScreenshot()
    {
        await Page.GotoAsync("/");
        await Expect(Page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        await Expect(Page.GetByTestId("chart")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(Page.Locator("#quote-rows td.last").Last).Not.ToHaveTextAsync("—");
        await Host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('AAPL', 151.37, 300)");
        await Expect(Row("AAPL").Locator("td.last")).ToHaveTextAsync("151.37");
        await Expect(Page.GetByTestId("delay")).ToHaveTextAsync(new Regex(@"^\d+ ms$"));

        var path = Path.Combine(RepositoryRoot.Path, "Tests", "EndToEnd", "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });

        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is missing or blank");

        // The same page on a phone: chart first, then the watchlist.
        await Page.SetViewportSizeAsync(390, 844);
        var narrow = Path.Combine(Path.GetDirectoryName(path)!, "dashboard-narrow.png");
        await Page.ScreenshotAsync(new() { Path = narrow, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        Assert.True(new FileInfo(narrow).Length > 10_000, $"{narrow} is missing or blank");
        Assert.Empty(ForeignRequests);
        Assert.Empty(PageErrors);
    }
}
