using System.Diagnostics;
using Dapper;
using Ticker.Database.Ticks;
using Ticker.Testing;
using Xunit.Abstractions;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Three identical hubs behind HAProxy (docs/haproxy.cfg), 200 WebSocket subscribers through it, a
/// 1,000 ticks/s feed, and every hub restarted in turn (SIGTERM, start again). Every client ends
/// holding exactly the last price of every symbol, saw no seq go back, no gap that merged or a reset
/// does not explain, and no close but 1012. TICKER_ROLLING_CLIENTS raises the client count (the
/// benchmark figure in docs/benchmarks.md uses 1,000).
/// </summary>
public sealed class RollingRestartTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly string[] Symbols = [.. Enumerable.Range(0, 20).Select(i => $"RR{i:D2}")];

    [Fact]
    [Trait("Category", "Heavy")]
    public async Task ThreeHubsRestartedInTurn_EveryClientEndsWithEveryLastPrice_NoUnexplainedGap_No1006()
    {
        var clients = int.TryParse(Environment.GetEnvironmentVariable("TICKER_ROLLING_CLIENTS"), out var n) ? n : 200;
        string[] settings = ["--Hub:KnownProxies:0=127.0.0.1", "--Hub:DrainTimeout=00:00:05", "--Hub:MaxConnectionsPerAddress=100000",
            "--Logging:LogLevel:Default=Warning"];
        var ports = Enumerable.Range(0, 3).Select(_ => (FreePorts.UdpAndTcp(), FreePorts.UdpAndTcp())).ToArray();
        var hubs = ports.Select(p => HubProcess.Start(database.ConnectionString, settings, ports: p)).ToArray();
        try
        {
            foreach (var hub in hubs)
            {
                await hub.WaitReadyAsync();
            }

            await using var proxy = HaproxyProcess.Start(ports);
            await proxy.WaitReadyAsync();
            using var stop = new CancellationTokenSource();
            using var stopFeed = new CancellationTokenSource();
            var feed = FeedAsync(stopFeed.Token);
            var subscribers = Enumerable.Range(0, clients).Select(_ => new RollingClient(proxy.WebSocketUri, Symbols)).ToArray();
            var running = subscribers.Select(s => Task.Run(() => s.RunAsync(stop.Token))).ToArray();
            await Task.Delay(2000);

            for (var i = 0; i < hubs.Length; i++)
            {
                await hubs[i].TerminateAsync();
                Assert.True(await hubs[i].WaitForExitAsync(TimeSpan.FromSeconds(30)), hubs[i].Output);
                Assert.Equal(0, hubs[i].ExitCode);
                await hubs[i].DisposeAsync();
                hubs[i] = HubProcess.Start(database.ConnectionString, settings, ports: ports[i]);
                await hubs[i].WaitReadyAsync();
                await Task.Delay(2500); // the proxy's checks take the hub back (rise 2, every second)
            }

            await Task.Delay(1000);
            await stopFeed.CancelAsync();
            await feed;
            var truth = await CommittedAsync();
            bool CaughtUp(RollingClient s) => truth.All(t => s.Held(t.Symbol).Seq == t.Count);
            await WaitUntilAsync(() => subscribers.All(CaughtUp),
                () => $"{subscribers.Count(s => !CaughtUp(s))} of {clients} clients are behind; faults: {string.Join("; ", subscribers.SelectMany(s => s.Faults).Take(5))}");
            await stop.CancelAsync();
            await Task.WhenAll(running);

            foreach (var fault in subscribers.SelectMany(s => s.Faults).Take(5))
            {
                output.WriteLine(fault);
            }

            output.WriteLine($"connects refused with 503 by a draining hub (retried): {subscribers.Sum(s => s.Refused)}");

            Assert.Empty(subscribers.SelectMany(s => s.Faults).Take(10));
            foreach (var (symbol, count, price) in truth)
            {
                Assert.All(subscribers, s => Assert.Equal((count, price), s.Held(symbol)));
            }

            var moves = subscribers.SelectMany(s => s.Moves).Order().ToArray();
            Assert.NotEmpty(moves);
            output.WriteLine($"{clients} clients, {moves.Length} moves between hubs; close → first update on the new hub: " +
                $"p50 {Percentile(moves, 0.5).TotalMilliseconds:F0} ms, p99 {Percentile(moves, 0.99).TotalMilliseconds:F0} ms, max {moves[^1].TotalMilliseconds:F0} ms");
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    /// <summary>1,000 ticks per second: 50 every 50 ms, spread over the symbols, prices always new.</summary>
    private async Task FeedAsync(CancellationToken stop)
    {
        var store = new TickStore(database.DataSource);
        var clock = Stopwatch.StartNew();
        for (long batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var ts = DateTimeOffset.UtcNow;
            await store.AppendAsync(Enumerable.Range(0, 50).Select(i =>
                new Tick(Symbols[i % Symbols.Length], ts.AddTicks(i), 100 + batch + (i / (decimal)100), 1)), CancellationToken.None);
            var due = TimeSpan.FromMilliseconds(50 * (batch + 1)) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, CancellationToken.None);
            }
        }
    }

    /// <summary>What was committed: per symbol, its count (the last seq) and its last price.</summary>
    private async Task<List<(string Symbol, long Count, decimal Price)>> CommittedAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string, long, decimal)>("""
            SELECT symbol, count(*), (array_agg(price ORDER BY ts DESC, id DESC))[1] FROM ticks GROUP BY symbol ORDER BY symbol
            """);
        return [.. rows];
    }

    private static TimeSpan Percentile(TimeSpan[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> why)
    {
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), $"not caught up with the last tick within a minute: {why()}");
    }
}
