using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Ticker.Database.Reference;
using Ticker.PushHub.Grpc.V1;

namespace Ticker.PushHub.Tests.Identity;

/// <summary>The symbol directory under Auth:Mode=jwt: the history scope, and only the symbols a token covers.</summary>
public sealed class SymbolIdentityTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.UseJwt();
        await new SymbolDirectory(_hub.Database.DataSource).UpsertAsync([
            new("AAPL", "Apple Inc.", "XNAS", "equity", "USD", "America/New_York", "us-equity", 0.01m, true),
            new("APLE", "Apple Hospitality REIT, Inc.", "XNYS", "equity", "USD", "America/New_York", "us-equity", 0.01m, true),
        ]);
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    private HttpClient Client(string token)
    {
        var client = _hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Http_SearchListsOnlyCoveredSymbols_GetOfAnotherIs403()
    {
        var client = Client(TestTokens.Mint("alice", ["AAPL"]));

        var body = await client.GetFromJsonAsync<JsonElement>("/api/symbols?q=apple");
        var other = await client.GetAsync("/api/symbols/APLE");

        Assert.Equal(["AAPL"], body.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("APLE: not among the symbols the token allows", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Http_WithoutHistoryScope_403()
    {
        var response = await Client(TestTokens.Mint("bob", ["*"], scopes: "subscribe")).GetAsync("/api/symbols?q=apple");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Grpc_GetOfAnotherSymbol_PermissionDenied()
    {
        using var channel = GrpcChannel.ForAddress(_hub.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _hub.Server.CreateHandler() });
        var grpc = new TickerService.TickerServiceClient(channel);
        var headers = new Metadata { { "authorization", $"Bearer {TestTokens.Mint("alice", ["AAPL"])}" } };

        var found = await grpc.SearchSymbolsAsync(new SearchSymbolsRequest { Q = "apple" }, headers);
        var denied = await Assert.ThrowsAsync<RpcException>(() => grpc.GetSymbolAsync(new GetSymbolRequest { Symbol = "APLE" }, headers).ResponseAsync);

        Assert.Equal(["AAPL"], found.Symbols.Select(s => s.Symbol));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }
}
