using Microsoft.Playwright;

namespace Ticker.EndToEnd;

/// <summary>A fresh browser context and page per test, on the shared hub; uncaught page errors are collected.</summary>
public abstract class DashboardPage(DashboardHost host) : IAsyncLifetime
{
    // Generous waits for things that must happen; no test measures how fast they happen.
    protected const float Patience = 15_000;

    private IBrowserContext _context = null!;

    protected DashboardHost Host { get; } = host;

    protected IPage Page { get; private set; } = null!;

    protected List<string> PageErrors { get; } = [];

    /// <summary>Every URL the page asked for that is not the hub's own: the dashboard must load nothing from the internet.</summary>
    protected List<string> ForeignRequests { get; } = [];

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(Patience);
        _context = await Host.Chromium.Browser.NewContextAsync(new()
        {
            BaseURL = Host.BaseAddress.ToString(),
            ViewportSize = new() { Width = 1440, Height = 900 },
            ColorScheme = ColorScheme.Dark,
        });
        _context.SetDefaultTimeout(Patience);
        Page = await _context.NewPageAsync();
        Page.PageError += (_, error) => PageErrors.Add(error);
        var origin = Host.BaseAddress.GetLeftPart(UriPartial.Authority);
        Page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)
                && !request.Url.StartsWith(origin.Replace("http://", "ws://", StringComparison.Ordinal), StringComparison.Ordinal))
            {
                lock (ForeignRequests)
                {
                    ForeignRequests.Add(request.Url);
                }
            }
        };
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    /// <summary>The row of a symbol in the quote table.</summary>
    protected ILocator Row(string symbol) => Page.Locator($"#quote-rows tr[data-symbol='{symbol}']");
}
