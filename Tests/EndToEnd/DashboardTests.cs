using Microsoft.Playwright;
using Ticker.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticker.EndToEnd;

/// <summary>The dashboard at <c>/</c> in headless Chromium, fed by the hub's HTTP API and <c>/ws</c>.</summary>
public sealed class DashboardTests(DashboardHost host) : IClassFixture<DashboardHost>, IAsyncLifetime
{
    // Generous waits for things that must happen; nothing here measures how fast they happen.
    private const float Patience = 10_000;

    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _pageErrors = [];

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(Patience);
        _context = await host.Chromium.Browser.NewContextAsync(new()
        {
            BaseURL = host.BaseAddress.ToString(),
            ViewportSize = new() { Width = 1440, Height = 900 },
            ColorScheme = ColorScheme.Dark,
        });
        _context.SetDefaultTimeout(Patience);
        _page = await _context.NewPageAsync();
        _page.PageError += (_, error) => _pageErrors.Add(error);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Dashboard_FirstVisit_FillsTableWithDefaultSymbols()
    {
        await _page.GotoAsync("/");

        var rows = _page.Locator("#quote-rows tr");
        await Expect(rows).ToHaveCountAsync(12);
        await Expect(rows.First).ToHaveAttributeAsync("data-symbol", "AAPL");
        foreach (var last in await _page.Locator("#quote-rows td.last").AllAsync())
        {
            await Expect(last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d[\d,]*\.\d+$"));
        }

        Assert.Empty(_pageErrors);
    }

    [Fact]
    public async Task Dashboard_TickInserted_AppearsInTable()
    {
        await _page.GotoAsync("/");
        await Expect(_page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        var aapl = _page.Locator("#quote-rows tr[data-symbol='AAPL']");
        await Expect(aapl.Locator("td.last")).Not.ToHaveTextAsync("—");
        await Expect(aapl.Locator("td.last")).Not.ToHaveTextAsync("123.45");

        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('AAPL', 123.45, 100)");

        await Expect(aapl.Locator("td.last")).ToHaveTextAsync("123.45");
        // The hub's session change against the open, and the measured delay of that update.
        await Expect(aapl.Locator("td.change")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[−+]?[\\d,.]+$"));
        await Expect(_page.GetByTestId("delay")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ ms$"));
        Assert.Empty(_pageErrors);
    }

    [Fact]
    public async Task Dashboard_SelectedSymbol_ChartShowsHistory()
    {
        await _page.GotoAsync("/");

        var chart = _page.GetByTestId("chart");
        await Expect(chart).ToHaveAttributeAsync("data-state", "ready");
        await Expect(_page.Locator("#chart-symbol")).ToHaveTextAsync("AAPL");
        Assert.True(await chart.Locator("canvas").CountAsync() > 0, "the chart drew no canvas");
        // One tick every 30 s over the last hour: about 60 one-minute bars.
        var bars = await _page.EvaluateAsync<int>("() => window.tickerDebug.barsLoaded");
        Assert.InRange(bars, 55, 61);
        Assert.Equal(bars.ToString(System.Globalization.CultureInfo.InvariantCulture), await chart.GetAttributeAsync("data-bars"));

        await _page.Locator("#quote-rows tr[data-symbol='MSFT']").ClickAsync();
        await Expect(_page.Locator("#chart-symbol")).ToHaveTextAsync("MSFT");
        await Expect(chart).ToHaveAttributeAsync("data-state", "ready");
        Assert.Equal("MSFT", await _page.EvaluateAsync<string>("() => window.tickerDebug.chartSymbol"));
        Assert.Empty(_pageErrors);
    }

    [Fact]
    public async Task Dashboard_AddAndRemoveSymbol_RememberedAfterReload()
    {
        await _page.GotoAsync("/");
        await Expect(_page.Locator("#quote-rows tr")).ToHaveCountAsync(12);

        await _page.Locator("#add-input").FillAsync("xom");
        await _page.Locator("#add-input").PressAsync("Enter");
        await _page.Locator("#quote-rows tr[data-symbol='MSFT']").HoverAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Remove MSFT" }).ClickAsync();
        await _page.ReloadAsync();

        await Expect(_page.Locator("#quote-rows tr[data-symbol='XOM'] td.last")).Not.ToHaveTextAsync("—");
        await Expect(_page.Locator("#quote-rows tr[data-symbol='MSFT']")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#quote-rows tr")).ToHaveCountAsync(12);
        await Expect(_page.Locator("#chart-symbol")).ToHaveTextAsync("XOM"); // the added symbol was selected
        Assert.Empty(_pageErrors);
    }

    [Fact]
    public async Task Dashboard_Loaded_SavesScreenshot()
    {
        await _page.GotoAsync("/");
        await Expect(_page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        await Expect(_page.GetByTestId("chart")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(_page.Locator("#quote-rows td.last").Last).Not.ToHaveTextAsync("—");
        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('AAPL', 151.37, 300)");
        await Expect(_page.Locator("#quote-rows tr[data-symbol='AAPL'] td.last")).ToHaveTextAsync("151.37");

        var path = Path.Combine(RepositoryRoot.Path, "Tests", "EndToEnd", "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await _page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });

        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is missing or blank");
        Assert.Empty(_pageErrors);
    }
}
