using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using Ticker.Database;

namespace Ticker.Benchmarks;

/// <summary>
/// N hub processes on one PostgreSQL (each with its default temporary slot, so one walsender each)
/// while this process writes a paced feed: over the window after a warm-up, the CPU time of every
/// walsender, of the feed's backend and of the rest of the server, from /proc. Ends by checking that
/// every hub's <c>/api/quotes</c> shows the table's count as <c>seq</c> for a few symbols.
/// </summary>
internal static class HubsWalsenderBenchmark
{
    private const string FeedApplication = "bench-hubs-feed";
    private const int SymbolCount = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var hubs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 60;
        var warmup = Math.Clamp(seconds / 4, 3, 10);
        var symbols = Enumerable.Range(0, SymbolCount).Select(i => $"HW{i:D3}").ToArray();

        await using var database = await BenchDatabase.CreateAsync("ticker_bench_hubs");
        await using var feedSource = TickerDataSource.Create(
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = FeedApplication }.ConnectionString);
        var cpu = await PostgresCpu.OfAsync(database.DataSource);

        var ports = new List<int>();
        while (ports.Count < hubs)
        {
            if (FanOutBenchmark.FreePort() is var port && !ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        Console.WriteLine($"hubs-walsender: {hubs} hubs, {rate:N0} ticks/s over {SymbolCount} symbols, {seconds} s (warm-up {warmup} s); "
            + $"load average {LoadAverage()}");
        // Each hub's last lines of output, shown if it exits early (a lagging hub logs its readiness
        // failing every few seconds: too much to print as it comes).
        var outputs = ports.ToDictionary(port => port, _ => new ConcurrentQueue<string>());
        var processes = ports.Select(port => BenchHub.Start(database.ConnectionString,
        [
            "--urls", $"http://127.0.0.1:{port}", "--Feed:Enabled=false", "--Turn:Enabled=false", "--WebRtc:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ], line =>
        {
            outputs[port].Enqueue(line);
            while (outputs[port].Count > 30 && outputs[port].TryDequeue(out _))
            {
            }
        })).ToList();
        try
        {
            await Task.WhenAll(ports.Select(port => BenchHub.WaitHealthyAsync(port, seconds: 180)));
            var walsenders = await WalsendersAsync(database);
            Console.WriteLine($"  {hubs} hubs ready; {walsenders.Count} walsenders on the server");

            using var stop = new CancellationTokenSource();
            var feed = new PacedFeed(feedSource, symbols, rate);
            var feeding = Task.Run(() => feed.RunAsync(stop.Token));
            await Task.Delay(TimeSpan.FromSeconds(warmup));

            var walBefore = await WalPositionsAsync(database);
            var before = cpu.Sample();
            var hubCpuBefore = processes.Select(p => p.TotalProcessorTime).ToList();
            var writtenBefore = feed.Written;
            var window = Stopwatch.StartNew();
            var lastWritten = writtenBefore;
            while (window.Elapsed.TotalSeconds < seconds - warmup - 0.5)
            {
                var step = Math.Min(5, seconds - warmup - window.Elapsed.TotalSeconds);
                await Task.Delay(TimeSpan.FromSeconds(step));
                var written = feed.Written;
                var backlog = await LargestBacklogAsync(database);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  t={warmup + window.Elapsed.TotalSeconds,5:F0}s feed {(written - lastWritten) / step,8:N0} ticks/s  largest slot backlog {backlog / 1024.0,8:N0} KiB"));
                lastWritten = written;
            }

            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                await stop.CancelAsync();
                await feeding;
                var port = ports[processes.IndexOf(exited)];
                Console.WriteLine($"hubs-walsender: the hub on port {port} exited during the run (exit code {exited.ExitCode}); its last output:");
                Console.WriteLine(string.Join(Environment.NewLine, outputs[port]));
                return 1;
            }

            var after = cpu.Sample();
            var walAfter = await WalPositionsAsync(database);
            var elapsed = window.Elapsed.TotalSeconds;
            var ticks = feed.Written - writtenBefore;
            var hubCpu = processes.Select((p, i) => (p.TotalProcessorTime - hubCpuBefore[i]).TotalSeconds).ToList();
            var backends = await BackendsAsync(database);
            await stop.CancelAsync();
            var achieved = await feeding;

            Report(cpu, new Window(elapsed, ticks, before, after, walBefore, walAfter), backends, hubCpu, achieved);
            return await SameSeqEverywhereAsync(database, ports, symbols) ? 0 : 1;
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private static void Report(PostgresCpu cpu, Window window, List<(int Pid, string? Type, string? Application)> backends, List<double> hubCpu, double achieved)
    {
        var (elapsed, ticks) = (window.Seconds, window.Ticks);
        double Seconds(int pid) => (window.CpuAfter.GetValueOrDefault(pid) - window.CpuBefore.GetValueOrDefault(pid)) / cpu.TicksPerSecond;
        double Percent(double cpuSeconds) => 100 * cpuSeconds / elapsed;
        double PerTick(double cpuSeconds) => 1e6 * cpuSeconds / ticks;
        string Line(double cpuSeconds) => string.Create(CultureInfo.InvariantCulture, $"{Percent(cpuSeconds),6:F1} % of a core, {PerTick(cpuSeconds),6:F2} CPU-µs per tick");

        // How much of the window's WAL a walsender decoded: below 100 % its hub fell behind, and its
        // CPU covers fewer ticks than the feed wrote.
        double Decoded(int pid) =>
            window.WalBefore.Sent.TryGetValue(pid, out var from) && window.WalAfter.Sent.TryGetValue(pid, out var to)
                ? (double)(to - from) / (window.WalAfter.Current - window.WalBefore.Current)
                : double.NaN;

        var walsenders = backends.Where(b => b.Type == "walsender").Select(b => (b.Pid, Cpu: Seconds(b.Pid))).OrderBy(w => w.Pid).ToList();
        var feed = backends.Where(b => b.Application == FeedApplication).Sum(b => Seconds(b.Pid));
        var total = (window.CpuAfter.Values.Sum() - window.CpuBefore.Values.Sum()) / cpu.TicksPerSecond;
        var rest = total - walsenders.Sum(w => w.Cpu) - feed;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"window {elapsed:F1} s: {ticks:N0} ticks = {ticks / elapsed:N0} ticks/s (whole run {achieved:N0} ticks/s); clock ticks {cpu.TicksPerSecond}"));
        foreach (var (pid, seconds) in walsenders)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  walsender {pid,7}: {Line(seconds)}; decoded {100 * Decoded(pid),5:F1} % of the window's WAL = {PerTick(seconds) / Decoded(pid),6:F2} CPU-µs per tick decoded"));
        }

        if (walsenders.Count > 0)
        {
            var mean = walsenders.Average(w => w.Cpu);
            var perDecoded = walsenders.Average(w => PerTick(w.Cpu) / Decoded(w.Pid));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  walsenders ({walsenders.Count}): mean {Line(mean)}, {perDecoded:F2} CPU-µs per tick decoded (min {Percent(walsenders.Min(w => w.Cpu)):F1} %, max {Percent(walsenders.Max(w => w.Cpu)):F1} %); together {Percent(walsenders.Sum(w => w.Cpu)):F1} %"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  so one core of PostgreSQL streams {1e6 / (perDecoded * ticks / elapsed):F1} hubs at this rate (walsender alone)"));
        }

        Console.WriteLine($"  feed backend (COPY):  {Line(feed)}");
        Console.WriteLine($"  rest of PostgreSQL:   {Line(rest)}  (hubs' own backends, walwriter, checkpointer, postmaster and ended backends)");
        Console.WriteLine($"  PostgreSQL in total:  {Line(total)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  hub processes: mean {Percent(hubCpu.Average()):F1} % of a core each; load average {LoadAverage()}"));
    }

    /// <summary>
    /// After the feed has stopped: waits (up to 2 minutes: a hub starved of CPU lags) until every hub's <c>/api/quotes</c> shows, for a
    /// few symbols, the table's count of their ticks as <c>seq</c>; prints what each hub shows.
    /// </summary>
    private static async Task<bool> SameSeqEverywhereAsync(BenchDatabase database, IReadOnlyCollection<int> ports, string[] symbols)
    {
        var sample = new[] { symbols[0], symbols[1], symbols[symbols.Length / 2], symbols[^1] };
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var counts = (await connection.QueryAsync<(string Symbol, long Count)>(
            "SELECT symbol, count(*) FROM ticks WHERE symbol = ANY(@sample) GROUP BY symbol", new { sample })).ToDictionary(r => r.Symbol, r => r.Count);

        using var http = new HttpClient();
        var shown = new List<Dictionary<string, long>>();
        var waited = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            shown.Clear();
            foreach (var port in ports)
            {
                var quotes = await http.GetFromJsonAsync<List<QuoteSeq>>(new Uri($"http://127.0.0.1:{port}/api/quotes?symbols={string.Join(',', sample)}"));
                shown.Add(quotes!.ToDictionary(q => q.Symbol, q => q.Seq));
            }

            if (shown.All(hub => sample.All(s => hub.GetValueOrDefault(s) == counts.GetValueOrDefault(s))))
            {
                break;
            }

            await Task.Delay(100);
        }

        var same = true;
        foreach (var symbol in sample)
        {
            var seqs = shown.Select(hub => hub.GetValueOrDefault(symbol)).ToList();
            var agree = seqs.All(s => s == counts.GetValueOrDefault(symbol));
            same &= agree;
            Console.WriteLine($"  {symbol}: table count {counts.GetValueOrDefault(symbol):N0}; seq on the {seqs.Count} hubs {string.Join(' ', seqs.Distinct())} -> {(agree ? "identical" : "DIFFERENT")}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hubs-walsender: last seq identical on every hub and equal to the table's count: {(same ? "yes" : "NO")} ({waited.Elapsed.TotalSeconds:F1} s after the feed stopped)"));
        return same;
    }

    private static async Task<List<int>> WalsendersAsync(BenchDatabase database) =>
        (await BackendsAsync(database)).Where(b => b.Type == "walsender").Select(b => b.Pid).ToList();

    private static async Task<List<(int Pid, string? Type, string? Application)>> BackendsAsync(BenchDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(int Pid, string? Type, string? Application)>(
            "SELECT pid, backend_type, application_name FROM pg_stat_activity")).ToList();
    }

    /// <summary>The server's WAL insert position and each walsender's sent (for logical: decoded) position, in bytes.</summary>
    private static async Task<WalPositions> WalPositionsAsync(BenchDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var current = await connection.ExecuteScalarAsync<long>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        var sent = await connection.QueryAsync<(int Pid, long Sent)>(
            "SELECT pid, pg_wal_lsn_diff(sent_lsn, '0/0')::bigint FROM pg_stat_replication WHERE sent_lsn IS NOT NULL");
        return new WalPositions(current, sent.ToDictionary(r => r.Pid, r => r.Sent));
    }

    private static async Task<long> LargestBacklogAsync(BenchDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)), 0)::bigint FROM pg_replication_slots WHERE database = current_database()");
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private sealed record QuoteSeq(string Symbol, long Seq);

    private sealed record WalPositions(long Current, Dictionary<int, long> Sent);

    private sealed record Window(double Seconds, long Ticks, Dictionary<int, long> CpuBefore, Dictionary<int, long> CpuAfter,
        WalPositions WalBefore, WalPositions WalAfter);
}
