using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Simulated;

namespace Ticker.Ingest.Tests;

[Trait("Tier", "Fast")]
public sealed class TickGeneratorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);

    private static List<Tick> Generate(int symbols, int seed, int count)
    {
        var generator = new TickGenerator(symbols, seed);
        return Enumerable.Range(0, count).Select(i => generator.Next(T0.AddMilliseconds(i * 5))).ToList();
    }

    [Fact]
    public void Next_SameSeedAndClock_SameTicks() => Assert.Equal(Generate(200, 7, 5000), Generate(200, 7, 5000));

    [Fact]
    public void Next_OtherSeed_OtherTicks() => Assert.NotEqual(Generate(200, 7, 100), Generate(200, 8, 100));

    [Fact]
    public void Next_ManyTicks_EveryTickFitsTheTable()
    {
        foreach (var tick in Generate(1000, 1, 50_000))
        {
            Assert.True(Symbols.IsValid(tick.Symbol), tick.Symbol);
            Assert.True(tick.Price > 0 && tick.Bid > 0 && tick.Ask > tick.Bid, tick.ToString());
            Assert.InRange(tick.Price, tick.Bid!.Value, tick.Ask!.Value);
            Assert.True(tick.Size >= 1, tick.ToString());
            Assert.True(tick.Price.Scale <= 8 && tick.Price < 1_000_000_000_000m, tick.ToString());
        }
    }

    [Fact]
    public void Symbols_LargeCount_UniqueAndRealOnesFirst()
    {
        var symbols = new TickGenerator(5000, 3).Symbols.ToList();

        Assert.Equal(5000, symbols.Distinct().Count());
        Assert.Equal(["AAPL", "MSFT", "NVDA"], symbols.Take(3));
    }

    [Fact]
    public void Next_OverATradingDay_PricesWanderButStayPlausible()
    {
        var generator = new TickGenerator(1, 11);
        var prices = Enumerable.Range(0, 23_400).Select(i => generator.Next(T0.AddSeconds(i)).Price).ToList();

        // AAPL at 25 % yearly volatility: a day's range is a few percent, never zero, never a crash.
        Assert.True(prices.Distinct().Count() > 50);
        Assert.InRange(prices.Min(), 228.50m * 0.8m, 228.50m);
        Assert.InRange(prices.Max(), 228.50m, 228.50m * 1.2m);
    }

    [Fact]
    public void Next_Bursts_OneSymbolSometimesDominates()
    {
        var ticks = Generate(500, 5, 20_000);

        // In some window of 100 ticks one symbol takes far more than its ordinary share (< 10 %).
        var busiest = Enumerable.Range(0, ticks.Count / 100)
            .Max(w => ticks.Skip(w * 100).Take(100).GroupBy(t => t.Symbol).Max(g => g.Count()));
        Assert.True(busiest >= 50, $"busiest symbol in a window of 100 ticks: {busiest}");
    }

    [Fact]
    public void Sizes_MostlyRoundLots()
    {
        var ticks = Generate(50, 9, 10_000);

        var roundLots = ticks.Count(t => t.Size % 100 == 0);
        Assert.InRange(roundLots, 7_000, 9_000);
    }
}
