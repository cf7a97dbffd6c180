using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Dapper;

namespace Ticker.PushHub.Tests.Identity;

/// <summary>Auth:Mode=jwt on /ws over a real socket: auth, entitlements, refresh and expiry, origins.</summary>
public sealed class WebSocketIdentityTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.UseJwt();
        _hub.Settings["Hub:HeartbeatInterval"] = "00:00:01";
        _hub.Settings["Hub:AllowedOrigins:0"] = "https://app.example";
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    private async Task InsertAsync(string symbol, decimal price)
    {
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES (@symbol, @price, 100)", new { symbol, price });
    }

    private async Task<WsClient> SignedInAsync(string token)
    {
        var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync(JsonSerializer.Serialize(new { op = "auth", token }));
        await client.ReceiveUntilAsync(m => m.Is("authenticated"));
        return client;
    }

    /// <summary>Reads until the pong of a ping sent now: everything the hub queued before it has arrived.</summary>
    private static async Task<List<JsonElement>> DrainAsync(WsClient client, string barrier)
    {
        await client.SendAsync($$"""{"op":"ping","id":"{{barrier}}"}""");
        var seen = new List<JsonElement>();
        while (true)
        {
            var message = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed");
            if (message.Is("pong") && message.GetProperty("id").GetString() == barrier)
            {
                return seen;
            }

            seen.Add(message);
        }
    }

    private static async Task<(WebSocketCloseStatus? Status, string? Reason)> ClosedAsync(WsClient client)
    {
        while (await client.ReceiveAsync() is not null)
        {
        }

        return (client.CloseStatus, client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Auth_ValidToken_SaysWhoAndSubscribes()
    {
        await InsertAsync("AAPL", 10m);
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync(JsonSerializer.Serialize(new { op = "auth", token = TestTokens.Mint("alice", ["AAPL", "US:*"]), id = 1 }));
        var authenticated = await client.ReceiveUntilAsync(m => m.Is("authenticated"));
        await client.SendAsync("""{"op":"subscribe","symbols":["AAPL"]}""");
        var snapshot = await client.ReceiveUntilAsync(m => m.Is("snapshot", "AAPL"));

        Assert.Equal("alice", authenticated.GetProperty("sub").GetString());
        Assert.Equal(["AAPL", "US:*"], authenticated.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(10m, snapshot.GetProperty("price").GetDecimal());
    }

    [Theory]
    [MemberData(nameof(HostileKinds))]
    public async Task Auth_HostileToken_Closed4001(string kind)
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync(JsonSerializer.Serialize(new { op = "auth", token = TestTokens.Hostile(kind) }));
        var (status, reason) = await ClosedAsync(client);

        // A 16 KiB+ token does not fit in a message (Hub:MaxMessageBytes): refused before it is read.
        Assert.Equal(kind == "oversized" ? WebSocketCloseStatus.MessageTooBig : (WebSocketCloseStatus)4001, status);
        Assert.DoesNotContain("mallory", reason ?? "", StringComparison.Ordinal);
    }

    public static TheoryData<string> HostileKinds => TestTokens.HostileKinds;

    [Theory]
    [MemberData(nameof(HostileKinds))]
    public async Task AccessTokenQuery_HostileToken_RefusedBeforeUpgrade(string kind)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri($"{_ws}?access_token={Uri.EscapeDataString(TestTokens.Hostile(kind))}");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        // A URL of 16 KiB+ exceeds Kestrel's request line limit before any token handling.
        Assert.Equal(kind == "oversized" ? HttpStatusCode.RequestUriTooLong : HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task AccessTokenQuery_ValidToken_NoAuthMessageNeeded()
    {
        await InsertAsync("QRY", 5m);
        await using var client = await WsClient.ConnectAsync(new Uri($"{_ws}?access_token={TestTokens.Mint("carol", ["QRY"])}"));
        await client.SendAsync("""{"op":"subscribe","symbols":["QRY"]}""");

        var snapshot = await client.ReceiveUntilAsync(m => m.Is("snapshot", "QRY"));
        Assert.Equal(5m, snapshot.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task NoAuth_WithinTimeout_Closed4001()
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        var (status, reason) = await ClosedAsync(client);

        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Contains("no valid auth within", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_BeforeAuth_Closed4001()
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync("""{"op":"subscribe","symbols":["AAPL"]}""");
        var (status, reason) = await ClosedAsync(client);

        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.StartsWith("authenticate first", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_SymbolNotCovered_ForbiddenNamingIt_WholeRequestRefused()
    {
        await InsertAsync("MINE", 1m);
        await InsertAsync("THEIRS", 2m);
        await using var client = await SignedInAsync(TestTokens.Mint("alice", ["MINE"]));
        await client.SendAsync("""{"op":"subscribe","symbols":["MINE","THEIRS"],"id":7}""");

        var error = await client.ReceiveUntilAsync(m => m.Is("error"));
        var after = await DrainAsync(client, "after-refusal");

        Assert.Equal("forbidden", error.GetProperty("code").GetString());
        Assert.Equal("THEIRS", error.GetProperty("symbol").GetString());
        Assert.Equal(7, error.GetProperty("id").GetInt32());
        Assert.DoesNotContain(after, m => m.Is("snapshot")); // MINE was not subscribed either
    }

    [Fact]
    public async Task Subscribe_WithoutSubscribeScope_Forbidden()
    {
        await using var client = await SignedInAsync(TestTokens.Mint("hist", ["*"], scopes: "history"));
        await client.SendAsync("""{"op":"subscribe","symbols":["AAPL"]}""");

        var error = await client.ReceiveUntilAsync(m => m.Is("error"));
        Assert.Equal("forbidden", error.GetProperty("code").GetString());
        Assert.Contains("subscribe", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoClients_DifferentSymbolSets_EachReceivesExactlyItsOwn_NamedAndWildcard()
    {
        await InsertAsync("ALFA", 1m);
        await InsertAsync("BETA", 1m);
        await using var alice = await SignedInAsync(TestTokens.Mint("alice", ["ALFA", "NEW:*"]));
        await using var bob = await SignedInAsync(TestTokens.Mint("bob", ["BETA"]));
        await alice.SendAsync("""{"op":"subscribe","symbols":["*"]}""");
        await bob.SendAsync("""{"op":"subscribe","symbols":["*"]}""");
        await alice.ReceiveUntilAsync(m => m.Is("snapshot", "ALFA"));
        await bob.ReceiveUntilAsync(m => m.Is("snapshot", "BETA"));

        // A live feed across both sets, including symbols that appear only now.
        for (var i = 0; i < 20; i++)
        {
            await InsertAsync(i % 2 == 0 ? "ALFA" : "BETA", 2m + i);
            await InsertAsync(i % 2 == 0 ? "NEW:ONE" : "NEW-TWO", 3m + i);
        }

        await InsertAsync("ALFA", 99m);
        await InsertAsync("BETA", 99m);
        await alice.ReceiveUntilAsync(m => m.Is("delta", "ALFA") && m.GetProperty("price").GetDecimal() == 99m);
        await bob.ReceiveUntilAsync(m => m.Is("delta", "BETA") && m.GetProperty("price").GetDecimal() == 99m);
        var aliceRest = await DrainAsync(alice, "a");
        var bobRest = await DrainAsync(bob, "b");

        Assert.All(aliceRest.Where(m => m.TryGetProperty("symbol", out _)), m => Assert.True(m.GetProperty("symbol").GetString() is "ALFA" or "NEW:ONE"));
        Assert.All(bobRest.Where(m => m.TryGetProperty("symbol", out _)), m => Assert.Equal("BETA", m.GetProperty("symbol").GetString()));
    }

    [Fact]
    public async Task Refresh_BeforeExpiry_StreamContinuesWithoutGap_UncoveredSymbolsDropped()
    {
        await InsertAsync("KEEP", 1m);
        await InsertAsync("DROP", 1m);
        await using var client = await SignedInAsync(TestTokens.Mint("dave", ["KEEP", "DROP"], ttl: TimeSpan.FromSeconds(4)));
        await client.SendAsync("""{"op":"subscribe","symbols":["KEEP","DROP"]}""");
        await client.ReceiveUntilAsync(m => m.Is("snapshot", "KEEP"));
        await InsertAsync("KEEP", 2m);

        var expiring = await client.ReceiveUntilAsync(m => m.Is("token-expiring"));
        await client.SendAsync(JsonSerializer.Serialize(new { op = "refresh", token = TestTokens.Mint("dave", ["KEEP"]) }));
        var dropped = await client.ReceiveUntilAsync(m => m.Is("unsubscribed"));
        await client.ReceiveUntilAsync(m => m.Is("refreshed"));
        await InsertAsync("KEEP", 3m);
        await InsertAsync("DROP", 3m);
        await InsertAsync("KEEP", 4m);
        await client.ReceiveUntilAsync(m => m.Is("delta", "KEEP") && m.GetProperty("price").GetDecimal() == 4m);
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the first token's exp: the connection must still be open
        var rest = await DrainAsync(client, "after-exp");

        Assert.InRange(expiring.GetProperty("in").GetInt32(), 0, 3);
        Assert.Equal(["DROP"], dropped.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain(rest, m => m.Is("delta", "DROP"));
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }

    [Fact]
    public async Task Refresh_KeepsSeqContiguous()
    {
        await InsertAsync("GAPLESS", 1m);
        await using var client = await SignedInAsync(TestTokens.Mint("erin", ["GAPLESS"]));
        await client.SendAsync("""{"op":"subscribe","symbols":["GAPLESS"]}""");
        var seqs = new List<long> { (await client.ReceiveUntilAsync(m => m.Is("snapshot", "GAPLESS"))).GetProperty("seq").GetInt64() };
        for (var i = 0; i < 10; i++)
        {
            if (i == 5)
            {
                await client.SendAsync(JsonSerializer.Serialize(new { op = "refresh", token = TestTokens.Mint("erin", ["GAPLESS"]) }));
            }

            await InsertAsync("GAPLESS", 2m + i);
            seqs.Add((await client.ReceiveUntilAsync(m => m.Is("delta", "GAPLESS"))).GetProperty("seq").GetInt64());
        }

        Assert.Equal(Enumerable.Range((int)seqs[0], 11).Select(s => (long)s), seqs);
    }

    [Fact]
    public async Task Expiry_Unreplaced_WarnedThenClosed4002()
    {
        await using var client = await SignedInAsync(TestTokens.Mint("frank", ["*"], ttl: TimeSpan.FromSeconds(3)));
        await client.ReceiveUntilAsync(m => m.Is("token-expiring"));
        var (status, reason) = await ClosedAsync(client);

        Assert.Equal((WebSocketCloseStatus)4002, status);
        Assert.Equal("token expired", reason);
    }

    [Fact]
    public async Task Refresh_InvalidToken_ErrorAndConnectionStays()
    {
        await using var client = await SignedInAsync(TestTokens.Mint("gina", ["*"]));
        await client.SendAsync(JsonSerializer.Serialize(new { op = "refresh", token = TestTokens.Hostile("wrong-signature") }));

        var error = await client.ReceiveUntilAsync(m => m.Is("error"));
        await DrainAsync(client, "still-open");
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Upgrade_FromForeignOrigin_Refused403()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_ws, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Upgrade_FromAllowedOrigin_Accepted()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "https://app.example");
        await socket.ConnectAsync(_ws, CancellationToken.None);

        Assert.Equal(WebSocketState.Open, socket.State);
    }
}
