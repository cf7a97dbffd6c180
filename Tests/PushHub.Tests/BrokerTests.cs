using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Ingest.Broker;
using Ticker.PushHub.Push;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Broker mode end to end, on a real nats-server and PostgreSQL: elected publishers read the
/// write-ahead log into JetStream, edge hubs (no slot) serve WebSocket subscribers from it.
/// </summary>
public sealed class BrokerTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly List<HubFactory> _hubs = [];
    private NatsServer _nats = null!;

    public async Task InitializeAsync()
    {
        _nats = await NatsServer.StartNewAsync();
        await _database.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var hub in _hubs)
        {
            await hub.DisposeAsync();
        }

        await _database.DisposeAsync();
        await _nats.DisposeAsync();
    }

    private HubFactory Hub(string mode, params (string Key, string Value)[] settings)
    {
        var hub = new HubFactory(_database);
        hub.Settings["Ingest:Mode"] = mode;
        hub.Settings["Nats:Url"] = _nats.Url;
        hub.Settings["Nats:LeaderCheckInterval"] = "00:00:00.200";
        // Temporary slots: a publisher taking over never waits for its predecessor's durable slot to be released.
        hub.Settings["Ingest:SlotName"] = "";
        foreach (var (key, value) in settings)
        {
            hub.Settings[key] = value;
        }

        _hubs.Add(hub);
        return hub;
    }

    private static bool Leads(HubFactory publisher) => publisher.Services.GetRequiredService<QuotePublisher>().IsPublishing;

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token).ContinueWith(t => t.IsCanceled ? throw new TimeoutException(what) : t, TaskScheduler.Default);
        }
    }

    private static long HeldSeq(HubFactory edge, string symbol) =>
        edge.Services.GetRequiredService<IQuoteFeed>().TryGetQuote(symbol, out var quote) ? quote.Seq : 0;

    /// <summary>Inserts <paramref name="count"/> ticks per symbol, priced 1, 2, 3… per symbol, <paramref name="perStatement"/> rows a commit.</summary>
    private async Task InsertAsync(string[] symbols, int count, int perStatement, TimeSpan pause, int startAt = 1)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        for (var i = startAt; i < startAt + count; i += perStatement)
        {
            var last = Math.Min(startAt + count, i + perStatement);
            await connection.ExecuteAsync("""
                INSERT INTO ticks (symbol, price, size)
                SELECT s, p, 1 FROM generate_series(@first, @last - 1) p, unnest(@symbols) s ORDER BY p, s
                """, new { first = i, last, symbols });
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
    }

    private static async Task<string> SubscribeAsync(WsClient client, string[] symbols, Dictionary<string, long>? resume = null, string? epoch = null)
    {
        var request = new Dictionary<string, object?> { ["op"] = "subscribe", ["symbols"] = symbols };
        if (resume is not null)
        {
            request["resume"] = resume;
            request["epoch"] = epoch;
        }

        await client.SendAsync(JsonSerializer.Serialize(request));
        var subscribed = await client.ReceiveUntilAsync(m => m.Is("subscribed"));
        // An edge that has read nothing yet names no epoch.
        return subscribed.TryGetProperty("epoch", out var named) ? named.GetString()! : "";
    }

    /// <summary>
    /// Reads snapshots and deltas until every symbol reached its final seq, checking as it goes that
    /// each delta follows the last seq held by exactly its <c>merged</c> count (1 unless merged): no double, no gap.
    /// </summary>
    private static async Task<Dictionary<string, (long Seq, decimal Price, int Deltas, int Merged)>> FollowAsync(WsClient client,
        IReadOnlyDictionary<string, long> final, Dictionary<string, long>? from = null)
    {
        var held = final.Keys.ToDictionary(s => s, s => (Seq: from?.GetValueOrDefault(s) ?? 0L, Price: 0m, Deltas: 0, Merged: 0));
        while (held.Any(h => h.Value.Seq < final[h.Key]))
        {
            var message = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed");
            foreach (var m in message.ValueKind == JsonValueKind.Array ? message.EnumerateArray().ToArray() : [message])
            {
                if (!m.Is("snapshot") && !m.Is("delta"))
                {
                    Assert.False(m.Is("reset"), $"unexpected reset: {m}");
                    continue;
                }

                var symbol = m.GetProperty("symbol").GetString()!;
                var seq = m.GetProperty("seq").GetInt64();
                var (lastSeq, price, deltas, merged) = held[symbol];
                if (m.Is("delta"))
                {
                    var count = m.TryGetProperty("merged", out var mc) ? mc.GetInt32() : 1;
                    Assert.True(seq - lastSeq == count, $"{symbol}: delta {seq} after {lastSeq} says it merged {count}");
                    deltas++;
                    merged += count - 1;
                }

                held[symbol] = (seq, m.TryGetProperty("price", out var p) ? p.GetDecimal() : price, deltas, merged);
            }
        }

        return held;
    }

    [Fact]
    public async Task PublisherToEdge_EverySeqOnceInOrder_EndsOnLastPrice_EscapedSymbols()
    {
        var publisher = Hub(IngestMode.Publisher);
        await publisher.StartOnSocketAsync();
        await WaitUntilAsync(() => Leads(publisher), "the publisher leads");
        var edge = Hub(IngestMode.Edge);
        var uri = await edge.StartOnSocketAsync();
        string[] symbols = ["AAPL", "BRK.B", "EUR/USD"];
        await using var client = await WsClient.ConnectAsync(uri);
        await SubscribeAsync(client, symbols);

        await InsertAsync(symbols, 300, 10, TimeSpan.Zero);

        var got = await FollowAsync(client, symbols.ToDictionary(s => s, _ => 300L));
        foreach (var symbol in symbols)
        {
            Assert.Equal((300L, 300m), (got[symbol].Seq, got[symbol].Price));
        }

        // The publisher serves no subscribers.
        using var http = publisher.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/ws", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LeaderGoneMidFeed_StandbyTakesOver_EdgeSubscribersSeeNoDoubleNoUnexplainedGap(bool lockConnectionKilled)
    {
        var first = Hub(IngestMode.Publisher);
        await first.StartOnSocketAsync();
        await WaitUntilAsync(() => Leads(first), "the first publisher leads");
        var second = Hub(IngestMode.Publisher);
        await second.StartOnSocketAsync();
        Assert.False(Leads(second));
        var edges = new[] { Hub(IngestMode.Edge), Hub(IngestMode.Edge) };
        string[] symbols = ["AAA", "BBB", "CCC", "DDD"];
        var clients = new List<WsClient>();
        foreach (var edge in edges)
        {
            var client = await WsClient.ConnectAsync(await edge.StartOnSocketAsync());
            await SubscribeAsync(client, symbols);
            clients.Add(client);
        }

        // About 2,000 ticks/s: 5 rows of each of 4 symbols a commit, every 10 ms; the leader goes away a third of the way in.
        var feed = InsertAsync(symbols, 1500, 5, TimeSpan.FromMilliseconds(10));
        await WaitUntilAsync(() => HeldSeq(edges[0], "AAA") >= 500, "the first third published");
        if (lockConnectionKilled)
        {
            // As a crash looks to PostgreSQL: the lock's session ends under the leader, which must stop publishing.
            var leader = first.Services.GetRequiredService<QuotePublisher>(); // its host stops itself, services and all
            await using var connection = await _database.DataSource.OpenConnectionAsync();
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """));
            await WaitUntilAsync(() => !leader.IsLeading, "the old leader steps down");
        }
        else
        {
            await first.DisposeAsync();
        }

        await WaitUntilAsync(() => Leads(second), "the standby takes the lead");
        await feed;

        foreach (var client in clients)
        {
            var got = await FollowAsync(client, symbols.ToDictionary(s => s, _ => 1500L));
            foreach (var symbol in symbols)
            {
                Assert.Equal((1500L, 1500m), (got[symbol].Seq, got[symbol].Price));
            }

            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task ResumeOnAnotherEdge_TenThousandMissed_FromTheStreamBeyondTheRing_ExactlyInOrder()
    {
        var publisher = Hub(IngestMode.Publisher);
        await publisher.StartOnSocketAsync();
        await WaitUntilAsync(() => Leads(publisher), "the publisher leads");
        var first = Hub(IngestMode.Edge);
        string[] symbol = ["RSM"];
        string epoch;
        await using (var client = await WsClient.ConnectAsync(await first.StartOnSocketAsync()))
        {
            await SubscribeAsync(client, symbol);
            await InsertAsync(symbol, 5, 5, TimeSpan.Zero);
            Assert.Equal(5L, (await FollowAsync(client, new Dictionary<string, long> { ["RSM"] = 5 }))["RSM"].Seq);
            epoch = first.Services.GetRequiredService<IQuoteFeed>().Epoch;
        }

        await InsertAsync(symbol, 10_000, 1000, TimeSpan.Zero, startAt: 6);
        var second = Hub(IngestMode.Edge, ("Hub:MaxQueuedBytes", "16777216"));
        var uri = await second.StartOnSocketAsync();
        await WaitUntilAsync(() => HeldSeq(second, "RSM") == 10_005, "the second edge holds the last update");

        await using var resumed = await WsClient.ConnectAsync(uri);
        await SubscribeAsync(resumed, symbol, new Dictionary<string, long> { ["RSM"] = 5 }, epoch);
        var got = await FollowAsync(resumed, new Dictionary<string, long> { ["RSM"] = 10_005 }, new Dictionary<string, long> { ["RSM"] = 5 });
        Assert.Equal((10_005L, 10_005m), (got["RSM"].Seq, got["RSM"].Price));
        Assert.Equal(10_000, got["RSM"].Deltas + got["RSM"].Merged);
    }

    [Fact]
    public async Task NewEdge_StreamOfFiveThousandSymbols_FirstSnapshotMatchesPostgres()
    {
        var publisher = Hub(IngestMode.Publisher);
        await publisher.StartOnSocketAsync();
        await WaitUntilAsync(() => Leads(publisher), "the publisher leads");
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            foreach (var offset in new[] { 0m, 0.5m })
            {
                await connection.ExecuteAsync("""
                    INSERT INTO ticks (symbol, price, size) SELECT 'S' || lpad(i::text, 4, '0'), i + @offset, 1 FROM generate_series(1, 5000) i
                    """, new { offset });
            }
        }

        await using (var nats = new NATS.Client.Core.NatsConnection(new NATS.Client.Core.NatsOpts { Url = _nats.Url }))
        {
            var js = new NATS.Client.JetStream.NatsJSContext(nats);
            long stored = 0;
            for (var tries = 0; tries < 1200 && stored < 10_000; tries++)
            {
                await Task.Delay(100);
                stored = (await js.GetStreamAsync("TICKER")).Info.State.Messages;
            }

            Assert.Equal(10_000L, stored);
        }

        var edge = Hub(IngestMode.Edge);
        await edge.StartOnSocketAsync();

        await using var db = await _database.DataSource.OpenConnectionAsync();
        var expected = (await db.QueryAsync<(string Symbol, long Seq, decimal Price)>("""
            SELECT symbol, count(*), (array_agg(price ORDER BY id DESC))[1] FROM ticks GROUP BY symbol ORDER BY symbol
            """)).ToList();
        var loaded = edge.Services.GetRequiredService<IQuoteFeed>().Quotes.OrderBy(q => q.Symbol, StringComparer.Ordinal)
            .Select(q => (q.Symbol, q.Seq, q.Last)).ToList();
        Assert.Equal(5000, expected.Count);
        Assert.Equal(expected, loaded);
    }

    [Fact]
    public async Task NatsRestart_EdgeNotReadyThenReady_NothingCommittedLost()
    {
        var publisher = Hub(IngestMode.Publisher);
        await publisher.StartOnSocketAsync();
        await WaitUntilAsync(() => Leads(publisher), "the publisher leads");
        var edge = Hub(IngestMode.Edge);
        var uri = await edge.StartOnSocketAsync();
        using var http = edge.CreateClient();
        string[] symbols = ["NRS"];
        await using var client = await WsClient.ConnectAsync(uri);
        await SubscribeAsync(client, symbols);
        await InsertAsync(symbols, 10, 10, TimeSpan.Zero);
        await FollowAsync(client, new Dictionary<string, long> { ["NRS"] = 10 });
        Assert.True((await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative))).IsSuccessStatusCode);

        await _nats.StopAsync();
        await WaitUntilAsyncAsync(async () => !(await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative))).IsSuccessStatusCode, "the edge turns not-ready");
        // Committed while NATS is down: the leader holds the change stream until it can publish.
        await InsertAsync(symbols, 10, 10, TimeSpan.Zero, startAt: 11);
        await _nats.StartAsync();
        await WaitUntilAsyncAsync(async () => (await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative))).IsSuccessStatusCode, "the edge is ready again");

        var got = await FollowAsync(client, new Dictionary<string, long> { ["NRS"] = 20 }, new Dictionary<string, long> { ["NRS"] = 10 });
        Assert.Equal((20L, 20m), (got["NRS"].Seq, got["NRS"].Price));
    }

    private static async Task WaitUntilAsyncAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token).ContinueWith(t => t.IsCanceled ? throw new TimeoutException(what) : t, TaskScheduler.Default);
        }
    }
}
