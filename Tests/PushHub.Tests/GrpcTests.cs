using Dapper;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Ticker.PushHub.Grpc.V1;

namespace Ticker.PushHub.Tests;

/// <summary>ticker.v1 through a generated client, against the real pipeline and PostgreSQL.</summary>
public sealed class GrpcTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private GrpcChannel _channel = null!;
    private TickerService.TickerServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Hub:PublisherKeys:0"] = "feed-secret";
        _hub.Settings["Hub:PublisherKeys:1"] = "apple-feed@AAPL,BRK.*";
        _hub.Settings["Hub:MaxBarsScannedTicks"] = "1000";
        _channel = GrpcChannel.ForAddress(_hub.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _hub.Server.CreateHandler() });
        _client = new TickerService.TickerServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await ((IAsyncLifetime)_hub).DisposeAsync();
    }

    private async Task InsertAsync(string symbol, decimal price)
    {
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size, bid, ask) VALUES (@symbol, @price, 10, @price - 0.01, @price + 0.01)",
            new { symbol, price });
    }

    [Fact]
    public async Task Subscribe_SnapshotThenDelta()
    {
        await InsertAsync("GRPC", 10.5m);
        using var call = _client.Subscribe(new SubscribeRequest { Symbols = { "GRPC" } });
        var stream = call.ResponseStream;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        Assert.True(await stream.MoveNext(timeout.Token));
        var snapshot = stream.Current;
        await InsertAsync("GRPC", 11m);
        Assert.True(await stream.MoveNext(timeout.Token));
        var delta = stream.Current;

        Assert.Equal((QuoteMessage.Types.Kind.Snapshot, 1L, "10.5", "10.49"), (snapshot.Kind, snapshot.Seq, snapshot.Price, snapshot.Bid));
        Assert.Equal((QuoteMessage.Types.Kind.Delta, 2L, "11", 1), (delta.Kind, delta.Seq, delta.Price, delta.Merged));
        Assert.False(delta.HasOpen);
    }

    [Theory]
    [InlineData("aapl")]
    [InlineData("")]
    public async Task Subscribe_BadSymbol_InvalidArgument(string symbol)
    {
        using var call = _client.Subscribe(new SubscribeRequest { Symbols = { symbol } });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Subscribe_NoSymbols_InvalidArgument()
    {
        using var call = _client.Subscribe(new SubscribeRequest());

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Contains("symbols", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_TicksBarsQuotes()
    {
        for (var i = 0; i < 5; i++)
        {
            await InsertAsync("HIST", 100 + i);
        }

        var page = await _client.GetTicksAsync(new GetTicksRequest { Symbol = "HIST", Limit = 3 });
        var rest = await _client.GetTicksAsync(new GetTicksRequest { Symbol = "HIST", Limit = 3, After = page.Next });
        var bars = await _client.GetBarsAsync(new GetBarsRequest { Symbol = "HIST", Interval = "1h" });
        await _hub.Services.GetRequiredService<Ingest.Pipeline.TickPipeline>().Started;
        QuoteMessage? quote = null;
        for (var i = 0; i < 100 && quote?.Seq != 5; i++)
        {
            quote = (await _client.GetQuotesAsync(new GetQuotesRequest { Symbols = { "HIST" } })).Quotes.SingleOrDefault();
            await Task.Delay(100);
        }

        Assert.Equal(["100", "101", "102", "103", "104"], page.Ticks.Concat(rest.Ticks).Select(t => t.Price));
        Assert.Empty(rest.Next);
        Assert.Equal(5, bars.Bars.Sum(b => b.Trades));
        Assert.Equal(("104", "100", "104", 50L), (quote!.Price, quote.Open, quote.High, quote.Volume));
    }

    [Theory]
    [InlineData("GetTicks")]
    [InlineData("GetBars")]
    [InlineData("GetTicksYearOne")]
    [InlineData("GetBarsYearOne")]
    public async Task History_BadArguments_InvalidArgument(string call)
    {
        var yearOne = new Timestamp { Seconds = -62_135_596_800L };
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            _ = call switch
            {
                "GetTicks" => (object)await _client.GetTicksAsync(new GetTicksRequest { Symbol = "AAPL", Limit = 50_000 }),
                "GetBars" => await _client.GetBarsAsync(new GetBarsRequest { Symbol = "AAPL", Interval = "3x" }),
                "GetTicksYearOne" => await _client.GetTicksAsync(new GetTicksRequest { Symbol = "AAPL", To = yearOne }),
                _ => await _client.GetBarsAsync(new GetBarsRequest { Symbol = "AAPL", To = yearOne }),
            };
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Publish_WithKey_WritesEveryTick()
    {
        using var call = _client.Publish(new Metadata { { "x-publisher-key", "feed-secret" } });
        for (var i = 0; i < 2500; i++)
        {
            await call.RequestStream.WriteAsync(new PublishTick { Symbol = "PUB", Price = "12.25", Size = i, Bid = "12.24" });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;

        Assert.Equal(2500, response.Accepted);
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(2500, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ticks WHERE symbol = 'PUB' AND bid = 12.24"));
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated)]
    [InlineData("guess", StatusCode.PermissionDenied)]
    public async Task Publish_WithoutTheKey_Refused(string? key, StatusCode expected)
    {
        using var call = _client.Publish(key is null ? [] : new Metadata { { "x-publisher-key", key } });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new PublishTick { Symbol = "PUB", Price = "1", Size = 1 });
            await call.RequestStream.CompleteAsync();
            await call;
        });

        Assert.Equal(expected, error.StatusCode);
    }

    [Theory]
    [InlineData("pub", "1", "symbol")]
    [InlineData("PUB", "-1", "price")]
    [InlineData("PUB", "1.123456789", "price")]
    [InlineData("PUB", "abc", "price")]
    public async Task Publish_BadTick_InvalidArgumentNamingIt(string symbol, string price, string field)
    {
        using var call = _client.Publish(new Metadata { { "x-publisher-key", "feed-secret" } });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new PublishTick { Symbol = "PUB", Price = "1", Size = 1 });
            await call.RequestStream.WriteAsync(new PublishTick { Symbol = symbol, Price = price, Size = 1, Ts = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) });
            await call.RequestStream.CompleteAsync();
            await call;
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"tick 1: {field}", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-62_135_596_800L)] // 0001-01-01
    [InlineData(253_402_300_799L)] // 9999-12-31T23:59:59, which PostgreSQL would store as infinity
    [InlineData(0L)] // stands for "a day from now"
    public async Task Publish_ImpossibleTimestamp_InvalidArgumentNamingTs(long seconds)
    {
        var ts = seconds == 0 ? Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1)) : new Timestamp { Seconds = seconds };
        using var call = _client.Publish(new Metadata { { "x-publisher-key", "feed-secret" } });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new PublishTick { Symbol = "PUB", Price = "1", Size = 1 });
            await call.RequestStream.WriteAsync(new PublishTick { Symbol = "PUB", Price = "1", Size = 1, Ts = ts });
            await call.RequestStream.CompleteAsync();
            await call;
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("tick 1: ts", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bars_FewBarsOverManyTicks_RefusedOverGrpcAndHttpAlike()
    {
        await using (var connection = await _hub.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO ticks (symbol, ts, price, size)
                SELECT 'DEEP', TIMESTAMPTZ '2020-01-01 00:00:00+00' + i * interval '1 minute', 1, 1 FROM generate_series(1, 1001) i
                """);
        }

        // Two 52-week bars at most, over a range holding 1,001 ticks: the scan, not the bar count, is bounded.
        var from = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.GetBarsAsync(new GetBarsRequest
        {
            Symbol = "DEEP", Interval = "52w", From = Timestamp.FromDateTimeOffset(from), To = Timestamp.FromDateTimeOffset(to),
        }));
        var http = await _hub.CreateClient().GetAsync($"/api/bars?symbol=DEEP&interval=52w&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        var within = await _client.GetBarsAsync(new GetBarsRequest
        {
            Symbol = "DEEP", Interval = "52w", From = Timestamp.FromDateTimeOffset(from),
            To = Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 1, 1, 16, 0, 0, TimeSpan.Zero)),
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("more than 1000 ticks of DEEP", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Contains("more than 1000 ticks of DEEP", await http.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(959, within.Bars.Sum(b => b.Trades));
    }

    private async Task<long> CountAsync(string symbol)
    {
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ticks WHERE symbol = @symbol", new { symbol });
    }

    private async Task<PublishResponse> PublishAsync(string key, IEnumerable<PublishTick> ticks)
    {
        using var call = _client.Publish(new Metadata { { "x-publisher-key", key } });
        foreach (var tick in ticks)
        {
            await call.RequestStream.WriteAsync(tick);
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }

    [Fact]
    public async Task Publish_RetriedWithSameIdempotencyKey_WritesOnce()
    {
        PublishTick[] Ticks() => [.. Enumerable.Range(0, 3).Select(i => new PublishTick
        {
            Symbol = "IDEM", Price = "5", Size = i, IdempotencyKey = i == 0 ? "batch-0001" : "",
        })];

        var first = await PublishAsync("feed-secret", Ticks());
        var retry = await PublishAsync("feed-secret", Ticks());

        Assert.Equal((3L, false), (first.Accepted, first.Duplicate));
        Assert.Equal((3L, true), (retry.Accepted, retry.Duplicate));
        Assert.Equal(3, await CountAsync("IDEM"));
    }

    [Fact]
    public async Task Publish_KeyedCallWithBadTick_WritesNothingAndRetryWritesOnce()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => PublishAsync("feed-secret", [
            new PublishTick { Symbol = "IDEMX", Price = "5", Size = 1, IdempotencyKey = "batch-x" },
            new PublishTick { Symbol = "IDEMX", Price = "-5", Size = 1 },
        ]));
        var retry = await PublishAsync("feed-secret", [
            new PublishTick { Symbol = "IDEMX", Price = "5", Size = 1, IdempotencyKey = "batch-x" },
            new PublishTick { Symbol = "IDEMX", Price = "6", Size = 1 },
        ]);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("tick 1: price", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((2L, false), (retry.Accepted, retry.Duplicate));
        Assert.Equal(2, await CountAsync("IDEMX"));
    }

    [Fact]
    public async Task Publish_LoneMessage_CommittedWithoutASecondArriving()
    {
        using var call = _client.Publish(new Metadata { { "x-publisher-key", "feed-secret" } });
        await call.RequestStream.WriteAsync(new PublishTick { Symbol = "LONE", Price = "1", Size = 1 });

        // The stream stays open and quiet: the batch must be written by its 50 ms timer.
        for (var i = 0; i < 600 && await CountAsync("LONE") == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, await CountAsync("LONE"));
        await call.RequestStream.CompleteAsync();
        Assert.Equal(1, (await call).Accepted);
    }

    [Fact]
    public async Task Publish_KeyRestrictedToAapl_CannotPublishMsft()
    {
        var allowed = await PublishAsync("apple-feed", [
            new PublishTick { Symbol = "AAPL", Price = "1", Size = 1 },
            new PublishTick { Symbol = "BRK.B", Price = "1", Size = 1 },
        ]);
        var error = await Assert.ThrowsAsync<RpcException>(() => PublishAsync("apple-feed", [new PublishTick { Symbol = "MSFT", Price = "1", Size = 1 }]));

        Assert.Equal(2, allowed.Accepted);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("tick 0: symbol MSFT: this x-publisher-key may publish AAPL,BRK.* only", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("MSFT"));
    }

    [Fact]
    public async Task Reflection_ListsTheService()
    {
        var reflection = new ServerReflection.ServerReflectionClient(_channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Contains("ticker.v1.TickerService", call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }
}

/// <summary>gRPC and HTTP/1.1 share the hub's one port: cleartext HTTP/2 (h2c) with prior knowledge.</summary>
public sealed class GrpcOverSocketTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();

    private int _grpcPort;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            _grpcPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        _hub.Settings["Urls"] = $"http://127.0.0.1:0;http://127.0.0.1:{_grpcPort}";
        _hub.Settings["Hub:GrpcPort"] = _grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task GetQuotes_OverLoopbackH2c_Answers()
    {
        var ws = await _hub.StartOnSocketAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_grpcPort}");
        Assert.NotEqual(_grpcPort, ws.Port); // the WebSocket lives on the HTTP/1.1 endpoint

        var response = await new TickerService.TickerServiceClient(channel).GetQuotesAsync(new GetQuotesRequest());

        Assert.Empty(response.Quotes);
    }
}
