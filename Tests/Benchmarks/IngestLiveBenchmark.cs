using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Simulated;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;

namespace Ticker.Benchmarks;

/// <summary>
/// Live: the simulated feed inserts at a fixed rate in batches of 100 while the pipeline follows
/// the slot, PostgreSQL, feed and pipeline sharing the machine. Reports commit → update latency
/// percentiles (PostgreSQL's commit timestamp to the moment the update reaches a subscriber), the
/// slot's backlog over time, and the pipeline process's managed heap over time.
/// </summary>
internal static class IngestLiveBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var symbols = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 60;

        await using var database = await BenchDatabase.CreateAsync("ticker_bench_live");

        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new IngestMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        using var pipeline = new TickPipeline(database.DataSource, database.ConnectionString,
            new IngestOptions { Source = "replication", SlotName = "bench_live" }, metrics, NullLoggerFactory.Instance);

        var latencies = new List<double>(rate * seconds + 1024);
        var gate = new Lock();
        using var subscription = pipeline.Updates.Subscribe(u =>
        {
            var ms = (DateTimeOffset.UtcNow - u.CommitTime).TotalMilliseconds;
            lock (gate)
            {
                latencies.Add(ms);
            }
        });
        await pipeline.StartAsync(CancellationToken.None);

        var feedOptions = new FeedOptions { Enabled = true, Symbols = symbols, TicksPerSecond = rate, BatchSize = 100, Seed = 1 };
        using var feed = new SimulatedFeed(new TickStore(database.DataSource), new Ticker.Database.Reference.SymbolDirectory(database.DataSource), Options.Create(feedOptions), TimeProvider.System,
            NullLogger<SimulatedFeed>.Instance);
        // BENCH_PGBENCH_FEED=1: pgbench is the feed (another process, as any SQL feed would be).
        Process? pgbench = null;
        if (Environment.GetEnvironmentVariable("BENCH_PGBENCH_FEED") == "1")
        {
            var script = Path.GetTempFileName();
            await File.WriteAllTextAsync(script, $"INSERT INTO ticks (symbol, price, size) SELECT 'S' || (random() * {symbols})::int, 100 + random(), 100 FROM generate_series(1, 100);\n");
            var b = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
            pgbench = Process.Start(IngestDrainBenchmark.PgBin("pgbench"), ["-n", "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
                "-f", script, "-R", (rate / 100).ToString(CultureInfo.InvariantCulture), "-T", seconds.ToString(CultureInfo.InvariantCulture), "-c", "2", database.Name]);
        }
        else
        {
            await feed.StartAsync(CancellationToken.None);
        }

        Console.WriteLine($"ingest-live: {rate:N0} ticks/s over {symbols:N0} symbols for {seconds} s");
        var stopwatch = Stopwatch.StartNew();
        var warmup = Math.Min(10, seconds / 6);
        var sampleEvery = Math.Max(5, seconds / 12);
        var lastCount = 0;
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            await Task.Delay(TimeSpan.FromSeconds(sampleEvery));
            int count;
            lock (gate)
            {
                count = latencies.Count;
            }

            await using var connection = await database.DataSource.OpenConnectionAsync();
            var backlog = await connection.ExecuteScalarAsync<long>(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = 'bench_live'");
            var heap = GC.GetTotalMemory(forceFullCollection: false) / 1024.0 / 1024.0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  t={stopwatch.Elapsed.TotalSeconds,5:F0}s updates/s {(count - lastCount) / (double)sampleEvery,8:N0}  slot backlog {backlog / 1024.0,8:N0} KiB  managed heap {heap,6:F1} MiB  working set {Environment.WorkingSet / 1024.0 / 1024.0,6:F0} MiB"));
            lastCount = count;
        }

        await feed.StopAsync(CancellationToken.None);
        if (pgbench is not null)
        {
            await pgbench.WaitForExitAsync();
        }

        await Task.Delay(2000);
        await pipeline.StopAsync(CancellationToken.None);

        List<double> measured;
        lock (gate)
        {
            // Leave out the warm-up (JIT, connection pools, first GCs).
            measured = latencies.Skip(rate * warmup).Order().ToList();
        }

        var worst = latencies.Select((ms, i) => (Second: i / rate, Ms: ms)).GroupBy(x => x.Second)
            .Select(g => (g.Key, Max: g.Max(x => x.Ms), Over10: g.Count(x => x.Ms > 10))).OrderByDescending(x => x.Max).Take(8);
        Console.WriteLine("  worst seconds (index, max ms, updates over 10 ms): " + string.Join("; ", worst.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key}: {w.Max:F0} ({w.Over10})"))));
        double At(double q) => measured[Math.Min(measured.Count - 1, (int)(q * measured.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest-live: {latencies.Count:N0} updates; commit -> update p50 {At(0.50):F2} ms, p99 {At(0.99):F2} ms, p99.9 {At(0.999):F2} ms, max {measured[^1]:F1} ms (targets p50 < 1 ms, p99 < 5 ms)"));
        return 0;
    }
}
