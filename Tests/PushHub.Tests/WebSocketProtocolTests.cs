using System.Net.WebSockets;
using System.Text;
using Dapper;

namespace Ticker.PushHub.Tests;

/// <summary>The /ws protocol over a real socket, against the real pipeline and PostgreSQL.</summary>
public sealed partial class WebSocketProtocolTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Ingest:ReplayDepth"] = "4";
        _hub.Settings["Hub:HeartbeatInterval"] = "00:00:01";
        _hub.Settings["Hub:MaxSymbolsPerConnection"] = "5";
        _hub.Settings["Hub:MaxMessageBytes"] = "1024";
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    private async Task InsertAsync(string symbol, decimal price, int count = 1)
    {
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        for (var i = 0; i < count; i++)
        {
            await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES (@symbol, @price, 100)", new { symbol, price = price + i });
        }
    }

    [Fact]
    public async Task Subscribe_KnownSymbol_AckSnapshotThenDeltas()
    {
        await InsertAsync("AAPL", 189.12m);
        await using var client = await WsClient.ConnectAsync(_ws);
        var first = await client.ReceiveUntilAsync(m => m.Is("heartbeat")); // the pipeline has caught up by now
        await client.SendAsync("""{"op":"subscribe","symbols":["AAPL"],"id":1}""");

        var ack = await client.ReceiveUntilAsync(m => m.Is("subscribed"));
        var snapshot = await client.ReceiveUntilAsync(m => m.Is("snapshot", "AAPL"));
        await InsertAsync("AAPL", 190m);
        var delta = await client.ReceiveUntilAsync(m => m.Is("delta", "AAPL"));

        Assert.Equal(1, ack.GetProperty("id").GetInt32());
        Assert.Equal(189.12m, snapshot.GetProperty("price").GetDecimal());
        Assert.Equal(1, snapshot.GetProperty("seq").GetInt64());
        Assert.Equal(2, delta.GetProperty("seq").GetInt64());
        Assert.Equal(190m, delta.GetProperty("price").GetDecimal());
        Assert.False(delta.TryGetProperty("open", out _)); // only what changed
        Assert.Equal(200, delta.GetProperty("volume").GetInt64());
    }

    [Fact]
    public async Task Subscribe_Wildcard_SnapshotsEverySymbolAndNewOnes()
    {
        await InsertAsync("MSFT", 400m);
        await InsertAsync("IBM", 200m);
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.ReceiveUntilAsync(m => m.Is("heartbeat"));
        await client.SendAsync("""{"op":"subscribe","symbols":["*"]}""");

        await client.ReceiveUntilAsync(m => m.Is("snapshot", "IBM"));
        await client.ReceiveUntilAsync(m => m.Is("snapshot", "MSFT"));
        await InsertAsync("NEWCO", 10m);
        var fresh = await client.ReceiveUntilAsync(m => m.Is("delta", "NEWCO"));

        Assert.Equal(1, fresh.GetProperty("seq").GetInt64());
        Assert.Equal(10m, fresh.GetProperty("open").GetDecimal()); // a first update carries every field
    }

    [Fact]
    public async Task Unsubscribe_NoMoreDeltas()
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync("""{"op":"subscribe","symbols":["UNSUB","UNSUBKEPT"]}""");
        await InsertAsync("UNSUB", 1m);
        await client.ReceiveUntilAsync(m => m.Is("delta", "UNSUB"));

        await client.SendAsync("""{"op":"unsubscribe","symbols":["UNSUB"]}""");
        await client.ReceiveUntilAsync(m => m.Is("unsubscribed"));
        await InsertAsync("UNSUB", 2m);
        await InsertAsync("UNSUBKEPT", 2m);

        // A barrier instead of a wait: the kept symbol's update committed after UNSUB's, so an UNSUB
        // delta, had it been offered, would be sent no later than the kept one, and before the pong.
        var seen = new List<System.Text.Json.JsonElement>();
        while (seen.Count == 0 || !seen[^1].Is("delta", "UNSUBKEPT"))
        {
            seen.Add(await client.ReceiveAsync() ?? throw new InvalidOperationException("closed"));
        }

        await client.SendAsync("""{"op":"ping","id":"p"}""");
        while (!seen[^1].Is("pong"))
        {
            seen.Add(await client.ReceiveAsync() ?? throw new InvalidOperationException("closed"));
        }

        Assert.DoesNotContain(seen, m => m.Is("delta", "UNSUB"));
    }

    [Fact]
    public async Task MaxRate_BurstIsMergedAndSaysHowMany()
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync("""{"op":"subscribe","symbols":["RATE"],"maxRate":0.5}""");
        await client.ReceiveUntilAsync(m => m.Is("subscribed"));
        await InsertAsync("RATE", 10m, count: 10);

        // Ten updates in a few milliseconds at one delta per two seconds: how they split depends on when
        // the writer ran (on a busy machine the first delta may already fold nine), but they arrive as
        // few deltas, ending at seq 10, whose merged counts add up to all ten.
        var deltas = new List<System.Text.Json.JsonElement>();
        while (deltas.Count == 0 || deltas[^1].GetProperty("seq").GetInt64() < 10)
        {
            deltas.Add(await client.ReceiveUntilAsync(m => m.Is("delta", "RATE")));
        }

        Assert.InRange(deltas.Count, 1, 3);
        Assert.Equal(10, deltas.Sum(d => d.TryGetProperty("merged", out var merged) ? merged.GetInt32() : 1));
        Assert.Contains(deltas, d => d.TryGetProperty("merged", out var merged) && merged.GetInt32() > 1);
        Assert.Equal(19m, deltas[^1].GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Resume_RecentPosition_ExactlyTheMissedDeltas()
    {
        await InsertAsync("RSM", 1m);
        long seq;
        await using (var client = await WsClient.ConnectAsync(_ws))
        {
            await client.ReceiveUntilAsync(m => m.Is("heartbeat"));
            await client.SendAsync("""{"op":"subscribe","symbols":["RSM"]}""");
            seq = (await client.ReceiveUntilAsync(m => m.Is("snapshot", "RSM"))).GetProperty("seq").GetInt64();
        }

        await InsertAsync("RSM", 2m, count: 3);
        await using var again = await WsClient.ConnectAsync(_ws);
        await again.ReceiveUntilAsync(m => m.Is("heartbeat"));
        await again.SendAsync($$$"""{"op":"subscribe","symbols":["RSM"],"resume":{"RSM":{{{seq}}}}}""");

        var replayed = new List<long>();
        while (replayed.Count < 3)
        {
            var message = await again.ReceiveUntilAsync(m => m.Is("delta", "RSM") || m.Is("snapshot") || m.Is("reset"));
            Assert.Equal("delta", message.Type());
            replayed.Add(message.GetProperty("seq").GetInt64());
        }

        Assert.Equal([seq + 1, seq + 2, seq + 3], replayed);
    }

    [Fact]
    public async Task Resume_PositionNoLongerHeld_ResetThenSnapshot()
    {
        await InsertAsync("OLD", 1m, count: 10); // replay depth is 4 in this hub
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.ReceiveUntilAsync(m => m.Is("heartbeat"));
        await client.SendAsync("""{"op":"subscribe","symbols":["OLD"],"resume":{"OLD":2}}""");

        var reset = await client.ReceiveUntilAsync(m => m.Is("reset", "OLD") || m.Is("delta"));
        var snapshot = await client.ReceiveAsync();

        Assert.Equal("reset", reset.Type());
        Assert.Equal(10, reset.GetProperty("seq").GetInt64());
        Assert.Equal("snapshot", snapshot!.Value.Type());
        Assert.Equal(10m, snapshot.Value.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Idle_HeartbeatsArrive()
    {
        await using var client = await WsClient.ConnectAsync(_ws);

        var heartbeat = await client.ReceiveUntilAsync(_ => true);

        Assert.Equal("heartbeat", heartbeat.Type());
        Assert.True(heartbeat.TryGetProperty("ts", out _));
    }

    [Theory]
    [InlineData("{not json", "bad-json")]
    [InlineData("[1,2]", "bad-json")]
    [InlineData("""{"symbols":["AAPL"]}""", "unknown-op")]
    [InlineData("""{"op":"launch"}""", "unknown-op")]
    [InlineData("""{"op":"subscribe"}""", "invalid-argument")]
    [InlineData("""{"op":"subscribe","symbols":[]}""", "invalid-argument")]
    [InlineData("""{"op":"subscribe","symbols":["aapl"]}""", "invalid-symbol")]
    [InlineData("""{"op":"subscribe","symbols":[42]}""", "invalid-symbol")]
    [InlineData("""{"op":"subscribe","symbols":["A","B","C","D","E","F"]}""", "too-many-symbols")]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"maxRate":0}""", "invalid-argument")]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"resume":{"AAPL":-1}}""", "invalid-argument")]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"resume":[1]}""", "invalid-argument")]
    [InlineData("""{"op":"ping","id":{"nested":true}}""", "invalid-argument")]
    [InlineData("""{"op":"rtc-offer","sdp":"v=0"}""", "bad-offer")]
    [InlineData("""{"op":"rtc-offer"}""", "invalid-argument")]
    public async Task BadMessage_ErrorNamingTheProblem_ConnectionSurvives(string json, string code)
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync(json);

        var error = await client.ReceiveUntilAsync(m => !m.Is("heartbeat"));
        await client.SendAsync("""{"op":"ping","id":9}""");
        var pong = await client.ReceiveUntilAsync(m => !m.Is("heartbeat"));

        Assert.Equal("error", error.Type());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("pong", pong.Type());
    }

    [Fact]
    public async Task TooManySymbolsAcrossSubscribes_Refused()
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync("""{"op":"subscribe","symbols":["A","B","C"]}""");
        await client.SendAsync("""{"op":"subscribe","symbols":["D","E","F"]}""");

        var error = await client.ReceiveUntilAsync(m => m.Is("error"));

        Assert.Equal("too-many-symbols", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task BinaryFrame_Closed1003_OthersUnaffected()
    {
        await using var bystander = await WsClient.ConnectAsync(_ws);
        await bystander.SendAsync("""{"op":"subscribe","symbols":["BYST"]}""");
        await bystander.ReceiveUntilAsync(m => m.Is("subscribed"));
        await using var client = await WsClient.ConnectAsync(_ws);

        await client.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var closed = await client.ReceiveUntilAsync(_ => false).ContinueWith(t => t.Exception, TaskScheduler.Default);
        await InsertAsync("BYST", 5m);

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, client.CloseStatus);
        Assert.NotNull(closed);
        Assert.Equal(5m, (await bystander.ReceiveUntilAsync(m => m.Is("delta", "BYST"))).GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task OversizedFrame_Closed1009()
    {
        await using var client = await WsClient.ConnectAsync(_ws);

        await client.SendAsync($$"""{"op":"ping","id":"{{new string('x', 2000)}}"}""");
        await client.ReceiveUntilAsync(_ => false).ContinueWith(t => t.Exception, TaskScheduler.Default);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
    }

    [Fact]
    public async Task Flood_RateLimitedButConnectionSurvives()
    {
        await using var client = await WsClient.ConnectAsync(_ws);

        for (var i = 0; i < 40; i++)
        {
            await client.SendAsync($$"""{"op":"ping","id":{{i}}}""");
        }

        var limited = await client.ReceiveUntilAsync(m => m.Is("error"));
        Assert.Equal("rate-limited", limited.GetProperty("code").GetString());
        await Task.Delay(1500);
        await client.SendAsync("""{"op":"ping","id":"after"}""");
        await client.ReceiveUntilAsync(m => m.Is("pong") && m.GetProperty("id").ValueKind == System.Text.Json.JsonValueKind.String);
    }

    [Fact]
    public async Task PlainHttpToWs_426()
    {
        var http = new HttpClient { BaseAddress = new Uri(_ws.ToString().Replace("ws://", "http://", StringComparison.Ordinal)) };

        var response = await http.GetAsync("");

        Assert.Equal(System.Net.HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_PrometheusTextWithPushAndIngestFigures()
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync("""{"op":"subscribe","symbols":["MET"]}""");
        await InsertAsync("MET", 3m);
        await client.ReceiveUntilAsync(m => m.Is("delta", "MET"));
        var http = new HttpClient { BaseAddress = new Uri(_ws.ToString().Replace("ws://", "http://", StringComparison.Ordinal)) };

        var text = await http.GetStringAsync("/metrics");

        // OpenTelemetry's exporter: unit suffixes (_milliseconds, _bytes), _total on counters, the meter as otel_scope_name.
        Assert.Contains("# TYPE ticker_push_messages_sent_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"ticker_push_connections\{otel_scope_name=""Ticker.PushHub""\} 1", text);
        Assert.Matches(@"ticker_ingest_ticks_total\{[^}]*\} [1-9]", text);
        Assert.Matches(@"ticker_ingest_latency_milliseconds_bucket\{[^}]*le=""0.1""\}", text);
        Assert.Contains("ticker_push_latency_milliseconds_count{", text, StringComparison.Ordinal);
        Assert.Contains("ticker_ingest_symbols{", text, StringComparison.Ordinal);
        // What comes for free: the runtime, Kestrel, and Npgsql.
        Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
        Assert.Contains("kestrel_active_connections", text, StringComparison.Ordinal);
        Assert.Contains("db_client_operation_duration_seconds_bucket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_SeveralMessagesInOneArrayFrame_InOrder()
    {
        await using var client = await WsClient.ConnectAsync(new Uri(_ws + "?batch=1"));
        await client.SendAsync("""{"op":"subscribe","symbols":["BAT"]}""");
        await client.ReceiveUntilAsync(m => m.ValueKind == System.Text.Json.JsonValueKind.Object && m.Is("subscribed"));
        var store = new Ticker.Database.Ticks.TickStore(_hub.Database.DataSource);

        // Five ticks in one transaction reach the queue together and leave as one frame, unless the
        // writer happens to wake between two offers (a loaded machine): so up to ten bursts, each seq
        // once and in order. Five stay below the queue's merge depth, so every tick is its own delta.
        var seqs = new List<long>();
        var arrays = 0;
        for (var burst = 1; burst <= 10 && arrays == 0; burst++)
        {
            await store.AppendAsync(Enumerable.Range(0, 5).Select(i => new Ticker.Database.Ticks.Tick("BAT", DateTimeOffset.UtcNow.AddTicks(i), 10 + i, 1)));
            while (seqs.Count == 0 || seqs[^1] < burst * 5)
            {
                var frame = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed");
                var messages = frame.ValueKind == System.Text.Json.JsonValueKind.Array ? frame.EnumerateArray().ToList() : [frame];
                arrays += frame.ValueKind == System.Text.Json.JsonValueKind.Array ? 1 : 0;
                seqs.AddRange(messages.Where(m => m.Is("delta", "BAT")).Select(m => m.GetProperty("seq").GetInt64()));
            }
        }

        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.True(arrays >= 1, "no frame carried more than one message");
    }
}
