using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticker.Database.Ticks;

namespace Ticker.PushHub.Tests;

public sealed class HistoryApiTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);

    private async Task<HttpClient> SeededClientAsync()
    {
        var client = hub.CreateClient();
        var store = new TickStore(hub.Database.DataSource);
        if ((await store.ReadLatestAsync(["HIST"])).Count == 0)
        {
            await store.AppendAsync(Enumerable.Range(0, 25).Select(i => new Tick("HIST", T0.AddSeconds(10 * i), 100 + i, 10, 99 + i, 101 + i)));
        }

        return client;
    }

    [Fact]
    public async Task Ticks_PagedWithNext_WalksEveryTick()
    {
        var client = await SeededClientAsync();
        var prices = new List<decimal>();
        string? next = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/ticks?symbol=HIST&limit=10{(next is null ? "" : $"&after={next}")}");
            prices.AddRange(page.GetProperty("ticks").EnumerateArray().Select(t => t.GetProperty("price").GetDecimal()));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);

        Assert.Equal(Enumerable.Range(100, 25).Select(i => (decimal)i), prices);
    }

    [Fact]
    public async Task Bars_OneMinute_TwoTicksOrSixEach()
    {
        var client = await SeededClientAsync();

        var body = await client.GetFromJsonAsync<JsonElement>($"/api/bars?symbol=HIST&interval=1m&from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddHours(1).ToString("O"))}");

        var bars = body.GetProperty("bars").EnumerateArray().ToList();
        Assert.Equal(5, bars.Count);
        Assert.Equal([6L, 6, 6, 6, 1], bars.Select(b => b.GetProperty("trades").GetInt64()));
        Assert.Equal(100m, bars[0].GetProperty("open").GetDecimal());
        Assert.Equal(105m, bars[0].GetProperty("close").GetDecimal());
    }

    [Fact]
    public async Task Quotes_LatestOfEachSymbol()
    {
        var client = await SeededClientAsync();

        // Served from the pipeline's quote book (seq and session volume are the book's), which
        // learns of the seeded ticks through the change stream.
        var quotes = await client.GetFromJsonAsync<JsonElement>("/api/quotes?symbols=HIST,NONE");
        for (var i = 0; i < 600 && (quotes.GetArrayLength() == 0 || quotes[0].GetProperty("seq").GetInt64() < 25); i++)
        {
            await Task.Delay(50);
            quotes = await client.GetFromJsonAsync<JsonElement>("/api/quotes?symbols=HIST,NONE");
        }

        var quote = Assert.Single(quotes.EnumerateArray());
        Assert.Equal((124m, 25L, 250L), (quote.GetProperty("price").GetDecimal(), quote.GetProperty("seq").GetInt64(), quote.GetProperty("volume").GetInt64()));
    }

    [Theory]
    [InlineData("/api/ticks", "symbol")]
    [InlineData("/api/ticks?symbol=aapl", "symbol")]
    [InlineData("/api/ticks?symbol=AAPL&limit=0", "limit")]
    [InlineData("/api/ticks?symbol=AAPL&after=garbage", "after")]
    [InlineData("/api/ticks?symbol=AAPL&order=sideways", "order")]
    [InlineData("/api/ticks?symbol=AAPL&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "to")]
    [InlineData("/api/bars?symbol=AAPL&interval=7x", "interval")]
    [InlineData("/api/bars?symbol=AAPL&interval=0m", "interval")]
    [InlineData("/api/bars?symbol=AAPL&interval=1s&from=2020-01-01T00:00:00Z", "from")]
    [InlineData("/api/quotes?symbols=AAPL,bad%20one", "symbols")]
    [InlineData("/api/bars?symbol=AAPL&to=0001-01-01", "to")]
    [InlineData("/api/bars?symbol=AAPL&from=0001-01-01T00:00:00Z&to=0001-01-01T00:00:01Z", "from")]
    [InlineData("/api/bars?symbol=AAPL&from=9999-12-31", "from")]
    [InlineData("/api/ticks?symbol=AAPL&to=0001-01-01", "to")]
    [InlineData("/api/ticks?symbol=AAPL&from=9999-12-31T23:59:59Z", "from")]
    public async Task BadParameters_ProblemDetailsNamingTheParameter(string url, string parameter)
    {
        var response = await hub.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ticks_MalformedTimestamp_BadRequest()
    {
        var response = await hub.CreateClient().GetAsync("/api/ticks?symbol=AAPL&from=notatime");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
