using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.PushHub.Grpc.V1;
using Ticker.TurnRelay;

namespace Ticker.PushHub.Tests.Identity;

/// <summary>Auth:Mode=jwt on the HTTP API, gRPC and the TURN credentials, against the real pipeline and PostgreSQL.</summary>
public sealed class ApiIdentityTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.UseJwt();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    private async Task InsertAsync(string symbol, decimal price)
    {
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES (@symbol, @price, 100)", new { symbol, price });
    }

    private HttpClient Client(string? token)
    {
        var client = _hub.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private TickerService.TickerServiceClient Grpc() =>
        new(GrpcChannel.ForAddress(_hub.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _hub.Server.CreateHandler() }));

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    public static TheoryData<string> HostileKinds => TestTokens.HostileKinds;

    [Theory]
    [MemberData(nameof(HostileKinds))]
    public async Task Http_HostileToken_401WithoutDetail(string kind)
    {
        var response = await Client(TestTokens.Hostile(kind)).GetAsync("/api/ticks?symbol=AAPL");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("mallory", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_NoToken_401()
    {
        var response = await Client(null).GetAsync("/api/quotes");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [MemberData(nameof(HostileKinds))]
    public async Task Grpc_HostileToken_Unauthenticated(string kind)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Grpc().GetQuotesAsync(new GetQuotesRequest(), Bearer(TestTokens.Hostile(kind))));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Http_SymbolNotCovered_403NamingIt()
    {
        var response = await Client(TestTokens.Mint("alice", ["AAPL"])).GetAsync("/api/bars?symbol=MSFT");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("MSFT:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_WithoutHistoryScope_403()
    {
        var response = await Client(TestTokens.Mint("alice", ["*"], scopes: "subscribe")).GetAsync("/api/ticks?symbol=AAPL");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Http_Quotes_OnlyEntitledSymbols()
    {
        await InsertAsync("OWN:A", 1m);
        await InsertAsync("OWN:B", 2m);
        await InsertAsync("OTHER", 3m);
        var quotes = await Client(TestTokens.Mint("alice", ["OWN:*"])).GetFromJsonAsync<JsonElement>("/api/quotes");

        Assert.Equal(["OWN:A", "OWN:B"], quotes.EnumerateArray().Select(q => q.GetProperty("symbol").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Grpc_GetTicks_SymbolNotCovered_PermissionDeniedNamingIt()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Grpc().GetTicksAsync(new GetTicksRequest { Symbol = "MSFT" }, Bearer(TestTokens.Mint("alice", ["AAPL"]))));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.StartsWith("MSFT:", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_Subscribe_NotCovered_PermissionDenied()
    {
        using var call = Grpc().Subscribe(new SubscribeRequest { Symbols = { "AAPL", "MSFT" } }, Bearer(TestTokens.Mint("alice", ["AAPL"])));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("MSFT", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_TwoWildcardSubscribers_EachReceivesExactlyItsOwn()
    {
        await InsertAsync("GA", 1m);
        await InsertAsync("GB", 1m);
        var grpc = Grpc();
        using var a = grpc.Subscribe(new SubscribeRequest { Symbols = { "*" } }, Bearer(TestTokens.Mint("alice", ["GA", "GNEW*"])));
        using var b = grpc.Subscribe(new SubscribeRequest { Symbols = { "*" } }, Bearer(TestTokens.Mint("bob", ["GB"])));
        var aSeen = new List<string>();
        var bSeen = new List<string>();
        await NextAsync(a, aSeen, "GA");
        await NextAsync(b, bSeen, "GB");
        for (var i = 0; i < 10; i++)
        {
            await InsertAsync("GA", 2m + i);
            await InsertAsync("GB", 2m + i);
            await InsertAsync("GNEW1", 2m + i);
            await InsertAsync("GOTHER", 2m + i);
        }

        await InsertAsync("GNEW1", 99m);
        await InsertAsync("GB", 99m);
        await NextAsync(a, aSeen, "GNEW1", 99m);
        await NextAsync(b, bSeen, "GB", 99m);

        Assert.All(aSeen, s => Assert.True(s is "GA" or "GNEW1", s));
        Assert.All(bSeen, s => Assert.Equal("GB", s));
    }

    private static async Task NextAsync(AsyncServerStreamingCall<QuoteMessage> call, List<string> seen, string symbol, decimal? price = null)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await call.ResponseStream.MoveNext(patience.Token))
        {
            var message = call.ResponseStream.Current;
            seen.Add(message.Symbol);
            if (message.Symbol == symbol && (price is null || message.Price == price.Value.ToString(CultureInfo.InvariantCulture)))
            {
                return;
            }
        }
    }

    [Fact]
    public async Task Grpc_Subscribe_TokenExpires_StreamEndsUnauthenticated()
    {
        await InsertAsync("EXP", 1m);
        using var call = Grpc().Subscribe(new SubscribeRequest { Symbols = { "EXP" } }, Bearer(TestTokens.Mint("ivy", ["EXP"], ttl: TimeSpan.FromSeconds(2))));
        Assert.True(await call.ResponseStream.MoveNext());

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        });
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("token expired", error.Status.Detail);
    }

    [Fact]
    public async Task Grpc_Publish_NeedsPublishScope()
    {
        using var refused = Grpc().Publish(Bearer(TestTokens.Mint("alice", ["*"])));
        await refused.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => refused.ResponseAsync);

        using var allowed = Grpc().Publish(Bearer(TestTokens.Mint("feed", ["*"], scopes: "publish")));
        await allowed.RequestStream.WriteAsync(new PublishTick { Symbol = "PUB", Price = "1.5", Size = 1 });
        await allowed.RequestStream.CompleteAsync();

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode); // no Hub:PublisherKeys either
        Assert.Equal(1, (await allowed.ResponseAsync).Accepted);
    }

    [Fact]
    public async Task RateLimit_PerCaller_429WithRetryAfter()
    {
        _hub.Settings["Hub:ApiBurst"] = "3";
        _hub.Settings["Hub:ApiRequestsPerSecond"] = "1";
        var alice = Client(TestTokens.Mint("alice", ["*"]));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await alice.GetAsync("/api/quotes")).StatusCode);
        }

        var limited = await alice.GetAsync("/api/quotes");
        var bob = await Client(TestTokens.Mint("bob", ["*"])).GetAsync("/api/quotes");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode); // another caller has a budget of its own
    }

    [Fact]
    public async Task TurnCredentials_NeedTurnScope_UsernameCarriesSub_LifetimeWithinToken()
    {
        _hub.Settings["Turn:Enabled"] = "true";
        _hub.Settings["Turn:Port"] = Ticker.Testing.FreePorts.UdpAndTcp().ToString(CultureInfo.InvariantCulture);
        _hub.Settings["Turn:ListeningIp"] = "127.0.0.1";
        var refused = await Client(TestTokens.Mint("alice", ["*"], scopes: "subscribe")).GetAsync("/api/turn-credentials");
        var anonymous = await Client(null).GetAsync("/api/turn-credentials");
        var ice = await Client(TestTokens.Mint("alice", ["*"], scopes: "turn", ttl: TimeSpan.FromMinutes(20)))
            .GetFromJsonAsync<JsonElement>("/api/turn-credentials");
        var username = ice.GetProperty("username").GetString()!;
        var secret = _hub.Services.GetRequiredService<IOptions<TurnRelayOptions>>().Value.StaticAuthSecret!;

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.EndsWith(":alice", username, StringComparison.Ordinal);
        Assert.InRange(ice.GetProperty("ttl").GetInt32(), 1, 20 * 60);
        Assert.True(TurnRestCredentials.TryGetExpiry(username, out var expiry) && expiry <= DateTimeOffset.UtcNow.AddMinutes(20).AddSeconds(1));
        Assert.Equal(TurnRestCredentials.ComputePassword(secret, username), ice.GetProperty("credential").GetString());
    }

    [Fact]
    public async Task AuthMode_SaysJwt()
    {
        var mode = await Client(null).GetFromJsonAsync<JsonElement>("/api/auth-mode");
        Assert.Equal("jwt", mode.GetProperty("mode").GetString());
    }
}
