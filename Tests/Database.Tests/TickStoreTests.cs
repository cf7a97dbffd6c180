using Ticker.Database.Ticks;
using Ticker.Testing;

namespace Ticker.Database.Tests;

public sealed class TickStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);
    private readonly TestDatabase _database = new();
    private TickStore _store = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new TickStore(_database.DataSource);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Append_ThenRead_RoundTripsEveryField()
    {
        Tick[] ticks =
        [
            new("AAPL", T0, 189.12345678m, 100, 189.12m, 189.13m),
            new("AAPL", T0.AddTicks(10), 0.00000001m, 0),
            new("AAPL", T0.AddSeconds(1), 999_999_999_999.99999999m, long.MaxValue, null, 999_999_999_999m),
        ];

        Assert.Equal(3, await _store.AppendAsync(ticks));
        var page = await _store.ReadPageAsync(new TickQuery("AAPL"));

        Assert.Equal(ticks, page.Ticks.Select(t => new Tick(t.Symbol, t.Ts, t.Price, t.Size, t.Bid, t.Ask)));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Append_RowBreakingConstraint_AppendsNothing()
    {
        Tick[] ticks = [new("AAPL", T0, 1m, 1), new("AAPL", T0, -1m, 1)];

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => _store.AppendAsync(ticks));

        Assert.Empty((await _store.ReadPageAsync(new TickQuery("AAPL"))).Ticks);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(11)]
    public async Task ReadPage_WalkingWithCursor_VisitsEachTickOnceInOrder(int pageSize)
    {
        // Ten ticks where pairs share a timestamp: the cursor must order ties by id, not skip them.
        await _store.AppendAsync(Enumerable.Range(0, 10).Select(i => new Tick("MSFT", T0.AddSeconds(i / 2), 400 + i, i)));
        await _store.AppendAsync([new Tick("OTHER", T0, 1, 1)]);

        foreach (var newestFirst in new[] { false, true })
        {
            var seen = new List<StoredTick>();
            TickCursor? after = null;
            var pages = 0;
            do
            {
                var page = await _store.ReadPageAsync(new TickQuery("MSFT", pageSize) { After = after, NewestFirst = newestFirst });
                seen.AddRange(page.Ticks);
                after = page.Next;
                pages++;
                Assert.True(page.Ticks.Count <= pageSize);
            }
            while (after is not null);

            var expected = Enumerable.Range(0, 10).Select(i => 400m + i);
            Assert.Equal(newestFirst ? expected.Reverse() : expected, seen.Select(t => t.Price));
            Assert.Equal((10 + pageSize - 1) / pageSize, pages);
        }
    }

    [Fact]
    public async Task ReadPage_TimeRange_IncludesFromExcludesTo()
    {
        await _store.AppendAsync(Enumerable.Range(0, 5).Select(i => new Tick("IBM", T0.AddMinutes(i), 100 + i, 1)));

        var page = await _store.ReadPageAsync(new TickQuery("IBM") { From = T0.AddMinutes(1), To = T0.AddMinutes(3) });

        Assert.Equal([101m, 102m], page.Ticks.Select(t => t.Price));
    }

    [Fact]
    public async Task ReadPage_UnknownSymbol_EmptyPageWithoutCursor()
    {
        var page = await _store.ReadPageAsync(new TickQuery("NOPE"));

        Assert.Empty(page.Ticks);
        Assert.Null(page.Next);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TickQuery.MaxLimit + 1)]
    public async Task ReadPage_LimitOutOfRange_Throws(int limit) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ReadPageAsync(new TickQuery("IBM", limit)));

    [Fact]
    public async Task ReadLatest_ManySymbols_LastTickOfEach()
    {
        await _store.AppendAsync(
        [
            new("AAPL", T0, 1, 1), new("AAPL", T0.AddSeconds(2), 3, 1), new("AAPL", T0.AddSeconds(1), 2, 1),
            new("MSFT", T0, 10, 1), new("MSFT", T0, 11, 1),
            new("ZZZ", T0.AddDays(-1), 5, 1),
        ]);

        var all = await _store.ReadLatestAsync();
        var some = await _store.ReadLatestAsync(["MSFT", "NONE", "MSFT"]);

        Assert.Equal([("AAPL", 3m), ("MSFT", 11m), ("ZZZ", 5m)], all.Select(t => (t.Symbol, t.Price)));
        Assert.Equal([("MSFT", 11m)], some.Select(t => (t.Symbol, t.Price)));
    }

    [Fact]
    public async Task ReadLatest_EmptyTable_Empty() => Assert.Empty(await _store.ReadLatestAsync());

    [Fact]
    public async Task ReadBars_OneMinute_MatchesHandComputedValues()
    {
        // Minute 14:30: 10 @ :05 (size 1), 12 @ :20 (2), 9 @ :40 (3), 11 @ :59.999 (4)
        // Minute 14:31: nothing.  Minute 14:32: 20 @ :00 (5), 20.5 @ :00 same instant, later id (6)
        await _store.AppendAsync(
        [
            new("AAPL", T0.AddSeconds(20), 12, 2),
            new("AAPL", T0.AddSeconds(5), 10, 1),
            new("AAPL", T0.AddSeconds(40), 9, 3),
            new("AAPL", T0.AddMilliseconds(59_999), 11, 4),
            new("AAPL", T0.AddMinutes(2), 20, 5),
            new("AAPL", T0.AddMinutes(2), 20.5m, 6),
            new("MSFT", T0.AddSeconds(1), 500, 1000),
        ]);

        var bars = await _store.ReadBarsAsync("AAPL", TimeSpan.FromMinutes(1), T0, T0.AddMinutes(10));

        Assert.Equal(
        [
            new Bar(T0, Open: 10, High: 12, Low: 9, Close: 11, Volume: 10, Trades: 4),
            new Bar(T0.AddMinutes(2), Open: 20, High: 20.5m, Low: 20, Close: 20.5m, Volume: 11, Trades: 2),
        ], bars);
    }

    [Fact]
    public async Task ReadBars_FiveMinutes_AlignedToTheClock()
    {
        await _store.AppendAsync([new("AAPL", T0.AddMinutes(3), 1, 1), new("AAPL", T0.AddMinutes(6), 2, 1)]);

        var bars = await _store.ReadBarsAsync("AAPL", TimeSpan.FromMinutes(5), T0.AddMinutes(-60), T0.AddMinutes(60));

        Assert.Equal([T0, T0.AddMinutes(5)], bars.Select(b => b.Start));
    }
}
