using Microsoft.Playwright;

namespace Ticker.EndToEnd;

/// <summary>
/// The system's Chromium (Debian package <c>chromium</c>, which <c>make deps</c> installs), driven
/// by Playwright's bundled driver; no browser is downloaded. A missing browser fails the tests.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Where Debian puts it; <c>TICKER_CHROMIUM</c> names another one.</summary>
    public static string ExecutablePath { get; } =
        Environment.GetEnvironmentVariable("TICKER_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}: the end-to-end tests need a real browser. " +
                "Install it with `make deps` (or `apt-get install chromium`), or set TICKER_CHROMIUM to a Chromium binary.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
