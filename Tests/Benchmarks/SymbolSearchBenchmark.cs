using System.Diagnostics;
using System.Globalization;
using Ticker.Database.Reference;

namespace Ticker.Benchmarks;

/// <summary>
/// Symbol search over a directory of 100,000 symbols (made-up tickers of one to five letters and
/// names built from word lists, "Northern Lithium Holdings Inc."). Times a mix of what people type
/// into a search box, each as a client sees it (<see cref="SymbolDirectory.SearchAsync"/>, limit 20):
/// whole tickers, one- and two-letter prefixes, name words and their prefixes, two words, typos.
/// </summary>
internal static class SymbolSearchBenchmark
{
    private const int Symbols = 100_000;
    private const int Rounds = 100;

    private static readonly string[] First =
    [
        "Northern", "Southern", "Pacific", "Atlantic", "Global", "United", "American", "First", "National", "Advanced",
        "Applied", "Integrated", "Digital", "Quantum", "Blue", "Green", "Silver", "Golden", "Summit", "Pioneer",
        "Liberty", "Frontier", "Coastal", "Midwest", "Royal", "Premier", "Sterling", "Vertex", "Apex", "Harbor",
    ];

    private static readonly string[] Second =
    [
        "Lithium", "Energy", "Bancorp", "Pharmaceuticals", "Semiconductor", "Software", "Logistics", "Biosciences", "Minerals", "Foods",
        "Networks", "Robotics", "Capital", "Realty", "Airlines", "Motors", "Therapeutics", "Utilities", "Materials", "Healthcare",
        "Insurance", "Shipping", "Aerospace", "Telecom", "Resources", "Brands", "Water", "Solar", "Gaming", "Media",
    ];

    private static readonly string[] Third = ["Holdings", "Group", "Corporation", "Industries", "Partners", "Systems", "Technologies", "Trust", "International", "Company"];

    private static readonly string[] Fourth = ["Inc.", "Corp.", "Ltd.", "plc", "N.V.", "S.A.", "AG", "Co."];

    private static readonly string[] Queries =
    [
        "AAPL", "MSFT", "A", "B", "Z", "AB", "QX", "XYZ", "north", "lith", "lithium", "bancorp", "quantum rob", "pacific ener",
        "golden min", "harbor", "therapeutics", "sem", "lithum", "pharmaceutcals", "nothern", "apple", "microsoft", "gen ele",
    ];

    public static async Task<int> RunAsync()
    {
        await using var database = await BenchDatabase.CreateAsync("ticker_bench_symbols");
        var directory = new SymbolDirectory(database.DataSource);
        var fill = Stopwatch.StartNew();
        await directory.UpsertAsync(Universe());
        await database.ExecuteAsync("VACUUM ANALYZE symbols");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled {Symbols:N0} symbols in {fill.Elapsed.TotalSeconds:F1} s"));

        foreach (var q in Queries)
        {
            await directory.SearchAsync(q, 20); // warm-up
        }

        var samples = new List<double>(Rounds * Queries.Length);
        var slowest = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var q in Queries)
            {
                var stopwatch = Stopwatch.StartNew();
                await directory.SearchAsync(q, 20);
                var ms = stopwatch.Elapsed.TotalMilliseconds;
                samples.Add(ms);
                slowest[q] = Math.Max(slowest.GetValueOrDefault(q), ms);
            }
        }

        samples.Sort();
        var worst = slowest.OrderByDescending(s => s.Value).Take(3).Select(s => string.Create(CultureInfo.InvariantCulture, $"\"{s.Key}\" {s.Value:F2} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"symbol-search: {samples.Count} searches over {Symbols:N0} symbols p50 {samples[samples.Count / 2]:F2} ms "
            + $"p99 {samples[samples.Count * 99 / 100]:F2} ms (target p99 < 5 ms); slowest single: {string.Join(", ", worst)}"));
        return 0;
    }

    private static IEnumerable<SymbolEntry> Universe()
    {
        var random = new Random(14);
        var used = new HashSet<string>(StringComparer.Ordinal) { "AAPL", "MSFT", "GE" };
        yield return new SymbolEntry("AAPL", "Apple Inc.", "XNAS", "equity", "USD", "America/New_York", "us-equity", 0.01m, true);
        yield return new SymbolEntry("MSFT", "Microsoft Corporation", "XNAS", "equity", "USD", "America/New_York", "us-equity", 0.01m, true);
        yield return new SymbolEntry("GE", "General Electric Company", "XNYS", "equity", "USD", "America/New_York", "us-equity", 0.01m, true);
        while (used.Count < Symbols)
        {
            var length = random.Next(1, 6);
            var ticker = new string(Enumerable.Range(0, length).Select(_ => (char)('A' + random.Next(26))).ToArray());
            if (!used.Add(ticker))
            {
                continue;
            }

            var name = $"{First[random.Next(First.Length)]} {Second[random.Next(Second.Length)]} {Third[random.Next(Third.Length)]} {Fourth[random.Next(Fourth.Length)]}";
            yield return new SymbolEntry(ticker, name, random.Next(2) == 0 ? "XNAS" : "XNYS", "equity", "USD", "America/New_York", "us-equity", 0.01m,
                random.Next(20) != 0);
        }
    }
}
