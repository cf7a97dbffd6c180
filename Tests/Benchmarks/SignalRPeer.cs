using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.Database;
using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Simulated;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;

namespace Ticker.Benchmarks;

/// <summary>
/// The comparison for the fan-out benchmark: a plain ASP.NET Core SignalR hub that broadcasts every
/// pipeline update (as the same delta JSON) to all its clients, fed by the same simulated feed
/// and pipeline, in a process of its own like the Ticker hub.
/// </summary>
internal static class SignalRPeer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = args[0];
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Ticker")!;
        var rate = int.Parse(args[1], CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR();
        builder.Services.AddMetrics();
        var app = builder.Build();
        app.MapHub<QuotesHub>("/quotes");
        app.MapGet("/healthz", () => "Healthy");

        await using var dataSource = TickerDataSource.Create(connectionString);
        using var metrics = new IngestMetrics(app.Services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        using var pipeline = new TickPipeline(dataSource, connectionString, new IngestOptions { SlotName = "bench_signalr" }, metrics,
            app.Services.GetRequiredService<ILoggerFactory>());
        var clients = app.Services.GetRequiredService<IHubContext<QuotesHub>>().Clients;
        using var broadcast = pipeline.Updates.Subscribe(u => _ = clients.All.SendAsync("delta", Delta(u)));
        await pipeline.StartAsync(CancellationToken.None);
        using var feed = new SimulatedFeed(new TickStore(dataSource), new Ticker.Database.Reference.SymbolDirectory(dataSource),
            Options.Create(new FeedOptions { Enabled = true, Symbols = 100, TicksPerSecond = rate, BatchSize = 100, Seed = 3 }),
            TimeProvider.System, app.Services.GetRequiredService<ILogger<SimulatedFeed>>());
        await feed.StartAsync(CancellationToken.None);
        await app.RunAsync();
        return 0;
    }

    private static string Delta(QuoteUpdate u) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["type"] = "delta", ["symbol"] = u.Symbol, ["seq"] = u.Seq, ["price"] = u.Quote.Last, ["volume"] = u.Quote.Volume,
        ["change"] = u.Quote.Change, ["changePercent"] = u.Quote.ChangePercent, ["ts"] = u.Quote.Ts.UtcDateTime,
    });
}

/// <summary>Clients only listen; the server broadcasts.</summary>
internal sealed class QuotesHub : Hub;
