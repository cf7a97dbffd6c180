using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Ticker.Benchmarks;

/// <summary>
/// The WebRTC figures, with libdatachannel (node-datachannel, Tests/EndToEnd/node/peer.mjs) as the
/// subscriber and the hub in its own process.
/// <list type="bullet">
/// <item><c>webrtc-loss [seconds] [loss%...]</c>: one WebSocket and one data-channel subscriber on the same
/// feed, same run, with the same random loss on the hub's TCP and UDP ports (iptables, both ways);
/// reports the age of the freshest price each holds, sampled every 5 ms per symbol, and each update's
/// tick → arrival time. The feed is this process: one tick a millisecond round-robin over the symbols,
/// so each symbol ticks evenly every 4 ms and the figures measure the transport, not feed bursts.</item>
/// <item><c>webrtc-sessions [n]</c>: n concurrent data-channel sessions; offer → open times, hub memory and threads.</item>
/// </list>
/// </summary>
internal static class WebRtcBenchmark
{
    // Few symbols, each ticking every few milliseconds, evenly: the age of a held price is then mostly
    // the transport's doing, not the wait for the next tick.
    private const int Symbols = 4;
    private const int TicksPerSecond = 1000;

    public static async Task<int> RunLossAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var losses = args.Length > 1 ? args[1..].Select(a => double.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [0, 1, 5];
        await using var database = await BenchDatabase.CreateAsync("ticker_bench_webrtc");
        var (httpPort, rtcPort) = (FanOutBenchmark.FreePort(), FanOutBenchmark.FreePort());
        using var hub = StartHub(database.ConnectionString, httpPort, rtcPort, ticksPerSecond: null);
        using var stop = new CancellationTokenSource();
        Task<double>? feeding = null;
        try
        {
            await BenchHub.WaitHealthyAsync(httpPort);
            var names = new Ingest.Feeds.Simulated.TickGenerator(Symbols, 3).Symbols.ToArray();
            var symbols = string.Join(",", names);
            var feed = new PacedFeed(database.DataSource, names, TicksPerSecond, TimeSpan.FromMilliseconds(1));
            feeding = Task.Run(() => feed.RunAsync(stop.Token));
            foreach (var loss in losses)
            {
                using var rules = loss > 0 ? PacketLoss.Apply(loss / 100, httpPort, rtcPort) : null;
                var writtenBefore = feed.Written;
                var ws = RunPeerAsync(httpPort, ["--symbols", symbols, "--transport", "ws", "--seconds", $"{seconds + 3}"]);
                var rtc = RunPeerAsync(httpPort, ["--symbols", symbols, "--transport", "rtc", "--seconds", $"{seconds + 3}"]);
                var (wsEvents, rtcEvents) = (await ws, await rtc);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"webrtc-loss {loss}% loss: {feed.Written - writtenBefore:N0} ticks written while the subscribers ran"));
                foreach (var (name, events) in new[] { ("websocket", wsEvents), ("webrtc", rtcEvents) })
                {
                    var ages = FreshestPriceAges(events, from: 3_000);
                    // Each update once, at its first arrival: the hub's repeats of a quiet symbol's last quote are copies.
                    var delays = events.Where(e => e.Event == "quote").GroupBy(e => (e.Symbol, e.Seq))
                        .Select(g => (double)(g.Min(e => e.At) - g.First().Ts.ToUnixTimeMilliseconds())).Order().ToArray();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"webrtc-loss {loss}% loss, {TicksPerSecond} ticks/s over {Symbols} symbols, {seconds} s, {name,-9}: age of freshest price held p50 {Pct(ages, 0.5):F0} p99 {Pct(ages, 0.99):F0} p99.9 {Pct(ages, 0.999):F0} max {ages[^1]:F0} ms; tick -> arrival p50 {Pct(delays, 0.5):F0} p99 {Pct(delays, 0.99):F0} p99.9 {Pct(delays, 0.999):F0} ms; {delays.Length:N0} updates ({events.Count(e => e.Event == "quote") - delays.Length:N0} repeats)"));
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            if (feeding is not null)
            {
                var achieved = await feeding;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"webrtc-loss feed achieved {achieved:N0} ticks/s"));
            }

            hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
        }

        return 0;
    }

    public static async Task<int> RunSessionsAsync(string[] args)
    {
        var sessions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        await using var database = await BenchDatabase.CreateAsync("ticker_bench_webrtc_sessions");
        var (httpPort, rtcPort) = (FanOutBenchmark.FreePort(), FanOutBenchmark.FreePort());
        // A quiet feed (20 ticks/s): each session still gets updates, but the figure is set-up, not fan-out.
        using var hub = StartHub(database.ConnectionString, httpPort, rtcPort, ticksPerSecond: 20);
        try
        {
            await BenchHub.WaitHealthyAsync(httpPort);
            // A few sessions first: the first handshake pays for loading and compiling the DTLS code.
            await RunPeerAsync(httpPort, ["--symbols", "AAPL", "--sessions", "5", "--print", "none", "--seconds", "1"]);
            // Offers arriving one, ten and twenty-five at a time; all n sessions stay open together.
            foreach (var concurrency in new[] { 1, 10, 25 })
            {
                await Task.Delay(TimeSpan.FromSeconds(3)); // the previous run's sessions have ended with its WebSockets
                hub.Refresh();
                var (memoryBefore, threadsBefore) = (hub.WorkingSet64, hub.Threads.Count);
                var peer = RunPeerAsync(httpPort,
                    ["--symbols", "AAPL,MSFT", "--sessions", $"{sessions}", "--concurrency", $"{concurrency}", "--print", "none", "--seconds", "8"]);
                await Task.Delay(TimeSpan.FromSeconds(6));
                hub.Refresh();
                var (memoryDuring, threadsDuring) = (hub.WorkingSet64, hub.Threads.Count);
                var summary = (await peer).Last(e => e.Event == "summary").Raw;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"webrtc-sessions {sessions}, offers {concurrency} at a time: opened {summary.GetProperty("opened").GetInt32()}, failed {summary.GetProperty("failed").GetInt32()}, offer -> open ms {summary.GetProperty("setupMs")}; hub working set {memoryBefore / 1048576:N0} -> {memoryDuring / 1048576:N0} MiB, threads {threadsBefore} -> {threadsDuring}"));
            }
        }
        finally
        {
            hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
        }

        return 0;
    }

    /// <summary>
    /// Every 5 ms from <paramref name="from"/> ms after the first update to the last, per symbol: how old
    /// the freshest quote the subscriber holds is (now − its tick time). Sorted ascending.
    /// </summary>
    private static double[] FreshestPriceAges(List<PeerEvent> events, long from)
    {
        var quotes = events.Where(e => e.Event == "quote").OrderBy(e => e.At).ToList();
        if (quotes.Count == 0)
        {
            throw new InvalidOperationException("the subscriber received no updates");
        }

        var held = new Dictionary<string, (long Seq, DateTimeOffset Ts)>();
        var ages = new List<double>();
        var next = 0;
        for (var t = quotes[0].At + from; t <= quotes[^1].At; t += 5)
        {
            for (; next < quotes.Count && quotes[next].At <= t; next++)
            {
                var q = quotes[next];
                if (!held.TryGetValue(q.Symbol!, out var h) || q.Seq > h.Seq)
                {
                    held[q.Symbol!] = (q.Seq, q.Ts);
                }
            }

            var now = DateTimeOffset.FromUnixTimeMilliseconds(t);
            ages.AddRange(held.Values.Select(h => (now - h.Ts).TotalMilliseconds));
        }

        ages.Sort();
        return [.. ages];
    }

    private static double Pct(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>The hub with its simulated feed at <paramref name="ticksPerSecond"/>, or without a feed of its own (null).</summary>
    private static Process StartHub(string connectionString, int httpPort, int rtcPort, int? ticksPerSecond) =>
        BenchHub.Start(connectionString,
        [
            "--urls", $"http://127.0.0.1:{httpPort}",
            $"--Feed:Enabled={ticksPerSecond is not null}", $"--Feed:Symbols={Symbols}", $"--Feed:TicksPerSecond={ticksPerSecond ?? 1}", "--Feed:BatchSize=1", "--Feed:Seed=3",
            "--Ingest:SlotName=bench_webrtc", "--Hub:MaxConnectionsPerAddress=100000", "--Turn:Enabled=false",
            "--WebRtc:ListenAddress=127.0.0.1", $"--WebRtc:Port={rtcPort}", "--WebRtc:MaxSessions=10000", "--Logging:LogLevel:Default=Warning",
        ]);

    private static async Task<List<PeerEvent>> RunPeerAsync(int httpPort, string[] args)
    {
        var directory = Path.Combine(Testing.RepositoryRoot.Path, "Tests", "EndToEnd", "node");
        var start = new ProcessStartInfo("node", ["peer.mjs", "--url", $"ws://127.0.0.1:{httpPort}/ws", .. args])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var events = new List<PeerEvent>();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            events.Add(PeerEvent.Parse(line));
        }

        await process.WaitForExitAsync();
        foreach (var error in events.Where(e => e.Event == "error").Take(5))
        {
            Console.Error.WriteLine($"peer: {error.Raw}");
        }

        return events;
    }

    private sealed record PeerEvent(string Event, string? Symbol, long Seq, DateTimeOffset Ts, long At, JsonElement Raw)
    {
        public static PeerEvent Parse(string line)
        {
            var e = JsonDocument.Parse(line).RootElement;
            var kind = e.GetProperty("event").GetString()!;
            // A snapshot entry of a symbol that has not ticked yet carries no seq or time: not an update.
            return kind == "quote" && e.TryGetProperty("seq", out _) && e.TryGetProperty("ts", out _)
                ? new PeerEvent(kind, e.GetProperty("symbol").GetString(), e.GetProperty("seq").GetInt64(),
                    e.GetProperty("ts").GetDateTimeOffset(), e.GetProperty("at").GetInt64(), e)
                : new PeerEvent(kind == "quote" ? "no-quote" : kind, null, 0, default, 0, e);
        }
    }

    /// <summary>Random drops on loopback for the hub's TCP and UDP ports, both directions, until disposed (needs root).</summary>
    private sealed class PacketLoss : IDisposable
    {
        private readonly List<string[]> _rules = [];

        public static PacketLoss Apply(double probability, int tcpPort, int udpPort)
        {
            var loss = new PacketLoss();
            var p = probability.ToString("0.####", CultureInfo.InvariantCulture);
            foreach (var (protocol, port) in new[] { ("tcp", tcpPort), ("udp", udpPort) })
            {
                foreach (var direction in new[] { "--dport", "--sport" })
                {
                    string[] rule = ["INPUT", "-i", "lo", "-p", protocol, direction, $"{port}", "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP"];
                    Iptables(["-I", .. rule]);
                    loss._rules.Add(rule);
                }
            }

            return loss;
        }

        public void Dispose()
        {
            foreach (var rule in _rules)
            {
                Iptables(["-D", .. rule]);
            }
        }

        private static void Iptables(string[] args)
        {
            using var process = Process.Start(new ProcessStartInfo("iptables", args) { RedirectStandardError = true })!;
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"iptables {string.Join(' ', args)} failed (root is needed): {process.StandardError.ReadToEnd()}");
            }
        }
    }
}
