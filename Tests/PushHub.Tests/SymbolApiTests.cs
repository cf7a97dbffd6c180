using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticker.Database.Reference;
using Ticker.PushHub.Grpc.V1;

namespace Ticker.PushHub.Tests;

/// <summary>/api/symbols, /api/unknown-symbols and their gRPC twins, against the real pipeline and PostgreSQL.</summary>
public sealed class SymbolApiTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private readonly LogCapture _logs = new();
    private GrpcChannel _channel = null!;
    private TickerService.TickerServiceClient _grpc = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.TestServices = services => services.AddSingleton<ILoggerProvider>(_logs);
        await new SymbolDirectory(_hub.Database.DataSource).UpsertAsync([
            new("AAPL", "Apple Inc.", "XNAS", "equity", "USD", "America/New_York", "us-equity", 0.01m, true),
            new("APLE", "Apple Hospitality REIT, Inc.", "XNYS", "equity", "USD", "America/New_York", "us-equity", 0.01m, true),
            new("BTC-USD", "Bitcoin / US Dollar", "CRYPTO", "crypto", "USD", "UTC", "crypto-24x7", 0.01m, true),
        ]);
        _channel = GrpcChannel.ForAddress(_hub.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _hub.Server.CreateHandler() });
        _grpc = new TickerService.TickerServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await ((IAsyncLifetime)_hub).DisposeAsync();
    }

    private async Task InsertAsync(string symbol, decimal price)
    {
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES (@symbol, @price, 10)", new { symbol, price });
    }

    [Fact]
    public async Task Search_ReturnsRankedEntriesInJson()
    {
        var body = await _hub.CreateClient().GetFromJsonAsync<JsonElement>("/api/symbols?q=apple");

        Assert.Equal("apple", body.GetProperty("q").GetString());
        var symbols = body.GetProperty("symbols").EnumerateArray().ToList();
        Assert.Equal(["AAPL", "APLE"], symbols.Select(s => s.GetProperty("symbol").GetString()));
        Assert.Equal("""
            {"symbol":"AAPL","name":"Apple Inc.","venue":"XNAS","assetClass":"equity","currency":"USD","timeZone":"America/New_York","calendar":"us-equity","tickSize":0.01,"active":true}
            """, symbols[0].GetRawText());
    }

    [Theory]
    [InlineData("/api/symbols", "q", "q is required: a ticker or words of a name (e.g. AAPL, apple, gen ele)")]
    [InlineData("/api/symbols?q=%20", "q", "q is required: a ticker or words of a name (e.g. AAPL, apple, gen ele)")]
    [InlineData("/api/symbols?q=a&limit=101", "limit", "limit must be between 1 and 100")]
    [InlineData("/api/symbols/aapl", "symbol", "symbol must be upper-case letters, digits and . : / ^ = _ - (e.g. AAPL, BRK.B, BTC-USD)")]
    public async Task BadRequest_ProblemNamesTheParameter(string url, string parameter, string problem)
    {
        var response = await _hub.CreateClient().GetAsync(url);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(problem, body.GetProperty("errors").GetProperty(parameter)[0].GetString());
    }

    [Fact]
    public async Task Get_Listed_DescribesIt()
    {
        var body = await _hub.CreateClient().GetFromJsonAsync<JsonElement>("/api/symbols/BTC-USD");

        Assert.Equal("Bitcoin / US Dollar", body.GetProperty("name").GetString());
        Assert.Equal("UTC", body.GetProperty("timeZone").GetString());
        Assert.Equal("crypto-24x7", body.GetProperty("calendar").GetString());
    }

    [Fact]
    public async Task Get_Unlisted_404Problem()
    {
        var response = await _hub.CreateClient().GetAsync("/api/symbols/NOPE");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("NOPE is not in the symbol directory", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSymbol_TicksFlowAndItIsListedAndLoggedOnce()
    {
        await InsertAsync("AAPL", 190m);
        await InsertAsync("ZZUNK", 5m);
        var client = _hub.CreateClient();

        // The pipeline served the unlisted symbol's tick like any other.
        List<JsonElement> quotes = [];
        for (var attempt = 0; attempt < 200 && quotes.Count < 2; attempt++)
        {
            quotes = (await client.GetFromJsonAsync<List<JsonElement>>("/api/quotes?symbols=AAPL,ZZUNK"))!;
            await Task.Delay(quotes.Count < 2 ? 50 : 0);
        }

        Assert.Equal(5m, quotes.Single(q => q.GetProperty("symbol").GetString() == "ZZUNK").GetProperty("price").GetDecimal());
        var first = await client.GetFromJsonAsync<JsonElement>("/api/unknown-symbols");
        var second = await client.GetFromJsonAsync<JsonElement>("/api/unknown-symbols");
        var grpc = await _grpc.ListUnknownSymbolsAsync(new ListUnknownSymbolsRequest());

        Assert.Equal("""{"symbols":["ZZUNK"]}""", first.GetRawText());
        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Equal(["ZZUNK"], grpc.Symbols);
        Assert.Single(_logs.Entries, e => e.EventId == 490 && e.Message.Contains("ZZUNK", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.EventId == 490 && e.Message.Contains("AAPL", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^ticker_symbols_unknown(\{[^}]*\})? 1(\s|$)", await client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Grpc_SearchAndGet()
    {
        var found = await _grpc.SearchSymbolsAsync(new SearchSymbolsRequest { Q = "AAPL" });
        var one = await _grpc.GetSymbolAsync(new GetSymbolRequest { Symbol = "APLE" });

        Assert.Equal("AAPL", found.Symbols[0].Symbol);
        Assert.Equal(new SymbolInfo
        {
            Symbol = "APLE", Name = "Apple Hospitality REIT, Inc.", Venue = "XNYS", AssetClass = "equity", Currency = "USD",
            TimeZone = "America/New_York", Calendar = "us-equity", TickSize = "0.01", Active = true,
        }, one);
    }

    [Fact]
    public async Task Grpc_UnlistedAndBadArguments_StatusSaysWhy()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => _grpc.GetSymbolAsync(new GetSymbolRequest { Symbol = "NOPE" }).ResponseAsync);
        var noQuery = await Assert.ThrowsAsync<RpcException>(() => _grpc.SearchSymbolsAsync(new SearchSymbolsRequest()).ResponseAsync);
        var badSymbol = await Assert.ThrowsAsync<RpcException>(() => _grpc.GetSymbolAsync(new GetSymbolRequest { Symbol = "nope" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.StartsWith("NOPE is not in the symbol directory", missing.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, noQuery.StatusCode);
        Assert.StartsWith("q is required", noQuery.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, badSymbol.StatusCode);
    }
}
