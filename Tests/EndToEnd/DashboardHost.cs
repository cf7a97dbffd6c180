using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ticker.Testing;

namespace Ticker.EndToEnd;

/// <summary>
/// The hub on a real loopback socket (a browser needs one), against a database of its own that
/// holds three hours of ticks for <see cref="Symbols"/>; the simulated feed is off, so every
/// price the page shows comes from this fixture. Also starts the browser.
/// </summary>
public class DashboardHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Seeded symbols and their base prices; more than the dashboard's default watchlist of 12.</summary>
    public static readonly (string Symbol, decimal Price)[] Symbols =
    [
        ("AAPL", 150m), ("AMZN", 182m), ("AVGO", 1_412m), ("BRK.B", 410m), ("GOOGL", 171m), ("JPM", 198m),
        ("META", 497m), ("MSFT", 415m), ("NVDA", 121m), ("ORCL", 139m), ("TSLA", 178m), ("V", 276m),
        ("WMT", 68m), ("XOM", 117m),
    ];

    // One tick every 30 s for 3 hours, oldest first, on a gentle wave so the chart has shape.
    private const string SeedSql = """
        INSERT INTO ticks (symbol, ts, price, size, bid, ask)
        SELECT symbol, now() - make_interval(secs => g * 30), p, 100 * (1 + g % 9), p - 0.01, p + 0.01
        FROM unnest($1::text[], $2::numeric[]) AS s(symbol, base),
             generate_series(360, 1, -1) AS g,
             LATERAL (SELECT round((base * (1 + 0.012 * sin(g / 23.0) + 0.004 * sin(g / 3.1)))::numeric, 2) AS p) AS price
        ORDER BY g DESC, symbol
        """;

    public TestDatabase Database { get; } = new();

    /// <summary>Whether the hub runs its simulated feed (on an empty database) instead of the seeded ticks.</summary>
    protected virtual bool SimulatedFeed => false;

    public HeadlessChromium Chromium { get; private set; } = null!;

    /// <summary>Where the hub listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chromium = await HeadlessChromium.LaunchAsync();
        await Database.InitializeAsync();
        if (!SimulatedFeed)
        {
            await InsertAsync(SeedSql, Symbols.Select(s => s.Symbol).ToArray(), Symbols.Select(s => s.Price).ToArray());
        }

        UseKestrel();
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the hub reports no listening address");
        BaseAddress = new Uri(address);
    }

    /// <summary>Runs SQL as a feed would, with positional parameters.</summary>
    public async Task InsertAsync(string sql, params object[] parameters)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Ticker", Database.ConnectionString);
        builder.UseSetting("Ingest:SlotName", Database.Name); // slot names are cluster-wide
        builder.UseSetting("Urls", "http://127.0.0.1:0"); // one HTTP/1.1 port of its own; no gRPC port
        builder.UseSetting("Feed:Enabled", SimulatedFeed ? "true" : "false");
        builder.UseSetting("Turn:Enabled", "false"); // the relay has tests of its own; keep 3478 free
        builder.UseSetting("WebRtc:Port", "0");
        builder.UseSetting("WebRtc:ListenAddress", "127.0.0.1");
        builder.UseSetting("Feed:Symbols", "20");
        builder.UseSetting("Feed:TicksPerSecond", "100");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>The hub with its simulated feed running on an empty database, as <c>make run</c> starts it.</summary>
public sealed class LiveFeedHost : DashboardHost
{
    protected override bool SimulatedFeed => true;
}
