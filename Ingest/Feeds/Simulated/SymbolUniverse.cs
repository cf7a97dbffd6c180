namespace Ticker.Ingest.Feeds.Simulated;

/// <summary>A listed instrument the simulation starts from: reference price, yearly volatility, activity.</summary>
internal readonly record struct Listing(string Symbol, decimal Price, double Volatility, double Activity);

/// <summary>
/// Real tickers with plausible prices and volatilities first; past those, made-up tickers of
/// three to four letters with prices spread log-uniformly from $2 to $600.
/// </summary>
internal static class SymbolUniverse
{
    private static readonly Listing[] Known =
    [
        new("AAPL", 228.50m, 0.25, 10), new("MSFT", 431.20m, 0.24, 9), new("NVDA", 138.40m, 0.50, 12),
        new("AMZN", 197.10m, 0.30, 8), new("GOOGL", 176.30m, 0.28, 7), new("META", 585.70m, 0.35, 7),
        new("TSLA", 251.40m, 0.60, 11), new("BRK.B", 462.80m, 0.16, 2), new("JPM", 224.60m, 0.22, 4),
        new("V", 289.90m, 0.18, 3), new("XOM", 118.20m, 0.24, 3), new("UNH", 571.10m, 0.26, 2),
        new("JNJ", 156.40m, 0.15, 2), new("WMT", 83.10m, 0.17, 3), new("MA", 512.70m, 0.19, 2),
        new("PG", 169.20m, 0.14, 2), new("HD", 402.30m, 0.21, 2), new("AVGO", 172.90m, 0.45, 5),
        new("COST", 905.60m, 0.20, 2), new("KO", 70.10m, 0.13, 2), new("PEP", 158.80m, 0.15, 2),
        new("AMD", 142.70m, 0.50, 7), new("NFLX", 756.30m, 0.35, 3), new("ADBE", 498.20m, 0.30, 2),
        new("CRM", 327.40m, 0.30, 2), new("INTC", 22.80m, 0.45, 5), new("CSCO", 56.90m, 0.20, 3),
        new("ORCL", 181.50m, 0.30, 3), new("BAC", 45.70m, 0.25, 5), new("WFC", 70.80m, 0.26, 3),
        new("DIS", 112.40m, 0.25, 3), new("NKE", 76.30m, 0.28, 2), new("MCD", 296.10m, 0.16, 2),
        new("PFE", 26.20m, 0.22, 4), new("T", 22.50m, 0.20, 4), new("VZ", 41.30m, 0.18, 3),
        new("BA", 154.60m, 0.40, 3), new("CAT", 391.20m, 0.27, 2), new("GS", 573.90m, 0.26, 2),
        new("IBM", 221.40m, 0.22, 2), new("QCOM", 159.80m, 0.35, 3), new("UBER", 72.60m, 0.40, 4),
        new("PLTR", 61.30m, 0.65, 8), new("SHOP", 108.70m, 0.50, 3), new("SPY", 598.20m, 0.15, 12),
        new("QQQ", 512.40m, 0.19, 10), new("IWM", 232.10m, 0.22, 5), new("GLD", 247.30m, 0.14, 3),
        new("TLT", 92.60m, 0.16, 3), new("BTC-USD", 96_420.00m, 0.55, 6), new("ETH-USD", 3_412.50m, 0.65, 5),
        new("EUR/USD", 1.0542m, 0.07, 6), new("GBP/USD", 1.2618m, 0.08, 4), new("USD/JPY", 154.32m, 0.09, 4),
    ];

    public static IReadOnlyList<Listing> Take(int count, Random random)
    {
        var listings = new List<Listing>(count);
        listings.AddRange(Known.Take(count));
        var used = listings.Select(l => l.Symbol).ToHashSet(StringComparer.Ordinal);
        while (listings.Count < count)
        {
            var symbol = MadeUpTicker(random);
            if (used.Add(symbol))
            {
                var price = decimal.Round((decimal)(2 * Math.Pow(300, random.NextDouble())), 2);
                listings.Add(new Listing(symbol, price, 0.15 + 0.5 * random.NextDouble(), 0.2 + 2 * random.NextDouble()));
            }
        }

        return listings;
    }

    private static string MadeUpTicker(Random random)
    {
        Span<char> letters = stackalloc char[4];
        var length = random.Next(3, 5);
        for (var i = 0; i < length; i++)
        {
            letters[i] = (char)('A' + random.Next(26));
        }

        return new string(letters[..length]);
    }
}
