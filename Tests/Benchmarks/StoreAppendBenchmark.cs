using System.Diagnostics;
using System.Globalization;
using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Simulated;

namespace Ticker.Benchmarks;

/// <summary>
/// Binary-COPY append through <see cref="TickStore"/> against psql's <c>\copy</c> of the same rows
/// as CSV, into the same indexed table, alternating rounds so both see the same machine load.
/// </summary>
internal static class StoreAppendBenchmark
{
    private const int Rows = 1_000_000;
    private const int BatchSize = 10_000;
    private const int Rounds = 3;

    public static async Task<int> RunAsync()
    {
        var generator = new TickGenerator(500, seed: 42);
        var start = new DateTimeOffset(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);
        var ticks = Enumerable.Range(0, Rows).Select(i => generator.Next(start.AddTicks(i * 234L * 10))).ToArray();
        var csv = Path.Combine(Path.GetTempPath(), $"ticker-bench-{Environment.ProcessId}.csv");
        await File.WriteAllLinesAsync(csv, ticks.Select(ToCsv));

        await using var database = await BenchDatabase.CreateAsync("ticker_bench_append");
        var store = new TickStore(database.DataSource);
        var ours = new List<double>();
        var psql = new List<double>();
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                await database.ExecuteAsync("TRUNCATE ticks; CHECKPOINT");
                var stopwatch = Stopwatch.StartNew();
                foreach (var batch in ticks.Chunk(BatchSize))
                {
                    await store.AppendAsync(batch);
                }

                ours.Add(Rows / stopwatch.Elapsed.TotalSeconds);

                await database.ExecuteAsync("TRUNCATE ticks; CHECKPOINT");
                var elapsed = await database.PsqlAsync($"\\copy ticks (symbol, ts, price, size, bid, ask) FROM '{csv}' WITH (FORMAT csv)");
                psql.Add(Rows / elapsed.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: TickStore.AppendAsync {ours[^1]:N0} rows/s, psql \\copy {psql[^1]:N0} rows/s"));
            }
        }
        finally
        {
            File.Delete(csv);
        }

        var oursMedian = Median(ours);
        var psqlMedian = Median(psql);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store-append: {Rows:N0} rows in batches of {BatchSize:N0}; median TickStore {oursMedian:N0} rows/s, psql \\copy {psqlMedian:N0} rows/s, ratio {oursMedian / psqlMedian:F2} (target >= 150,000 rows/s)"));
        return 0;
    }

    private static string ToCsv(Tick t) => string.Create(CultureInfo.InvariantCulture,
        $"{t.Symbol},{t.Ts.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ},{t.Price},{t.Size},{t.Bid},{t.Ask}");

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
