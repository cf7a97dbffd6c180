using System.Diagnostics;
using System.Globalization;
using Ticker.Database.Ticks;

namespace Ticker.Benchmarks;

/// <summary>
/// Reads from a table of 10 million ticks: 50 symbols × 5 trading days × 40,000 ticks a day
/// (one every 585 ms from 14:30 to 21:00 UTC). Times the last 1,000 ticks of one symbol and the
/// 1-minute bars of one symbol over one trading day, each as a client sees it.
/// </summary>
internal static class StoreQueryBenchmark
{
    private const int Iterations = 200;
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);

    private const string FillSql = """
        INSERT INTO ticks (symbol, ts, price, size, bid, ask)
        SELECT 'S' || lpad(s::text, 3, '0'),
               TIMESTAMPTZ '2026-03-02 14:30:00+00' + d * interval '1 day' + i * interval '585 milliseconds',
               round((100 + 10 * sin(i / 1000.0) + random())::numeric, 2), 100 * (1 + (i % 7)),
               round((99.99 + 10 * sin(i / 1000.0))::numeric, 2), round((100.01 + 10 * sin(i / 1000.0) + 1)::numeric, 2)
        FROM generate_series(0, 4) d, generate_series(0, 39999) i, generate_series(0, 49) s
        ORDER BY d, i, s
        """;

    public static async Task<int> RunAsync()
    {
        await using var database = await BenchDatabase.CreateAsync("ticker_bench_queries");
        var fill = Stopwatch.StartNew();
        await database.ExecuteAsync(FillSql);
        await database.ExecuteAsync("VACUUM ANALYZE ticks");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled 10,000,000 rows in {fill.Elapsed.TotalSeconds:F0} s"));

        var store = new TickStore(database.DataSource);
        var last = await TimeAsync(async () =>
        {
            var page = await store.ReadPageAsync(new TickQuery("S025", 1000) { NewestFirst = true });
            return page.Ticks.Count;
        }, expected: 1000);
        var bars = await TimeAsync(async () =>
        {
            var result = await store.ReadBarsAsync("S025", TimeSpan.FromMinutes(1), Day.AddDays(2), Day.AddDays(2).AddHours(6.5));
            return result.Count;
        }, expected: 390);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store-queries: last 1,000 ticks of one symbol p50 {last.P50:F2} ms p95 {last.P95:F2} ms (target < 5 ms); "
            + $"1-minute bars over a trading day (40,000 ticks) p50 {bars.P50:F2} ms p95 {bars.P95:F2} ms (target < 20 ms)"));
        return 0;
    }

    private static async Task<(double P50, double P95)> TimeAsync(Func<Task<int>> query, int expected)
    {
        for (var i = 0; i < 20; i++)
        {
            if (await query() != expected)
            {
                throw new InvalidOperationException($"query returned an unexpected count (wanted {expected})");
            }
        }

        var samples = new List<double>(Iterations);
        for (var i = 0; i < Iterations; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await query();
            samples.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return (samples[Iterations / 2], samples[Iterations * 95 / 100]);
    }
}
