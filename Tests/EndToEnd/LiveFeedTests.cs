using Ticker.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticker.EndToEnd;

/// <summary>The dashboard on a hub whose simulated feed starts on an empty database.</summary>
public sealed class LiveFeedTests(LiveFeedHost host) : DashboardPage(host), IClassFixture<LiveFeedHost>
{
    [Fact]
    public async Task Dashboard_RunningFeed_FillsTableAndUpdatesLive()
    {
        await Page.GotoAsync("/");

        await Expect(Page.Locator("#quote-rows tr")).ToHaveCountAsync(12);
        foreach (var last in await Page.Locator("#quote-rows td.last").AllAsync())
        {
            await Expect(last).Not.ToHaveTextAsync("—");
        }

        await Expect(Page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        // Deltas keep coming: the page counts a hundred of them, and the chart follows the selected symbol.
        await Page.WaitForFunctionAsync("() => window.tickerDebug.updates >= 100");
        await Expect(Page.GetByTestId("chart")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(Page.GetByTestId("delay")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ ms$"));

        var path = Path.Combine(RepositoryRoot.Path, "Tests", "EndToEnd", "artifacts", "dashboard-live.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path });
        Assert.Empty(PageErrors);
    }
}
