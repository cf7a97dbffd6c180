using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Ticker.EndToEnd;

/// <summary>The dashboard against a hub in Auth:Mode=jwt: it signs in with a token and shows only that token's symbols.</summary>
public sealed class JwtDashboardTests(JwtDashboardHost host) : DashboardPage(host), IClassFixture<JwtDashboardHost>
{
    [Fact]
    public async Task TokenInFragment_SignsIn_ShowsOnlyItsSymbols()
    {
        await Page.GotoAsync($"/#token={JwtDashboardHost.Token("alice", ["AAPL", "MSFT"])}");

        await Expect(Page.GetByTestId("identity")).ToHaveTextAsync("alice");
        await Expect(Page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "live");
        var rows = Page.Locator("#quote-rows tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(Row("AAPL").Locator("td.last")).ToHaveTextAsync(new Regex(@"^\d[\d,]*\.\d+$"));
        Assert.DoesNotContain("token=", Page.Url, StringComparison.Ordinal); // taken out of the address bar
        Assert.Empty(PageErrors);
    }

    [Fact]
    public async Task SymbolOutsideToken_ShownAsRefused()
    {
        await Page.GotoAsync($"/#token={JwtDashboardHost.Token("bob", ["AAPL"])}");
        await Expect(Page.GetByTestId("identity")).ToHaveTextAsync("bob");
        await Page.Locator("#add-input").FillAsync("TSLA");
        await Page.Locator("#add-form button").ClickAsync();

        await Expect(Page.GetByTestId("refused")).ToContainTextAsync("TSLA");
        await Expect(Row("TSLA")).ToHaveCountAsync(0);
        await Expect(Row("AAPL").Locator("td.last")).ToHaveTextAsync(new Regex(@"^\d[\d,]*\.\d+$"));
    }

    [Fact]
    public async Task NoToken_AsksForOne_SignInBoxWorks()
    {
        await Page.GotoAsync("/");
        await Expect(Page.Locator("#signin")).ToBeVisibleAsync();
        await Page.Locator("#signin-token").FillAsync(JwtDashboardHost.Token("carol", ["MSFT"]));
        await Page.Locator("#signin button").ClickAsync();

        await Expect(Page.GetByTestId("identity")).ToHaveTextAsync("carol");
        await Expect(Page.Locator("#quote-rows tr")).ToHaveCountAsync(1);
    }
}
