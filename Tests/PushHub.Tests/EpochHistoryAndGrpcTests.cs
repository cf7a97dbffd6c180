using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using Ticker.Database.Ticks;
using Ticker.PushHub.Grpc.V1;
using Tick = Ticker.Database.Ticks.Tick;

namespace Ticker.PushHub.Tests;

/// <summary>The epoch over gRPC, and history cursors that retention overtook (HTTP 410, gRPC OUT_OF_RANGE).</summary>
public sealed class EpochHistoryAndGrpcTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Old = new(DateTimeOffset.UtcNow.AddDays(-40).UtcTicks / 10 * 10, TimeSpan.Zero);
    private readonly HubFactory _hub = new();
    private GrpcChannel _channel = null!;
    private TickerService.TickerServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _channel = GrpcChannel.ForAddress(_hub.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _hub.Server.CreateHandler() });
        _client = new TickerService.TickerServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await ((IAsyncLifetime)_hub).DisposeAsync();
    }

    private async Task SeedAsync(string symbol)
    {
        var store = new TickStore(_hub.Database.DataSource);
        await store.AppendAsync(Enumerable.Range(0, 6).Select(i => new Tick(symbol, Old.AddSeconds(i), 10 + i, 1)));
        await store.AppendAsync([new Tick(symbol, DateTimeOffset.UtcNow.AddSeconds(-1), 20, 1)]);
    }

    private static async Task<QuoteMessage> NextAsync(AsyncServerStreamingCall<QuoteMessage> call)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await call.ResponseStream.MoveNext(timeout.Token))
        {
            if (call.ResponseStream.Current.Kind != QuoteMessage.Types.Kind.Heartbeat)
            {
                return call.ResponseStream.Current;
            }
        }

        throw new InvalidOperationException("the stream ended");
    }

    [Fact]
    public async Task Grpc_SnapshotCarriesEpoch_ResumeFromAnotherIsReset()
    {
        await SeedAsync("GEP");
        var epoch = await PositionEpoch.ReadAsync(_hub.Database.DataSource);
        long seq;
        using (var first = _client.Subscribe(new SubscribeRequest { Symbols = { "GEP" } }))
        {
            var snapshot = await NextAsync(first);
            Assert.Equal((QuoteMessage.Types.Kind.Snapshot, epoch), (snapshot.Kind, snapshot.Epoch));
            seq = snapshot.Seq;
        }

        var quotes = await _client.GetQuotesAsync(new GetQuotesRequest { Symbols = { "GEP" } });
        Assert.Equal(epoch, Assert.Single(quotes.Quotes).Epoch);

        using var call = _client.Subscribe(new SubscribeRequest { Symbols = { "GEP" }, Resume = { ["GEP"] = seq }, Epoch = "0123456789ab" });
        var reset = await NextAsync(call);
        var fresh = await NextAsync(call);

        Assert.Equal((QuoteMessage.Types.Kind.Reset, epoch, seq), (reset.Kind, reset.Epoch, reset.Seq));
        Assert.Contains("epoch 0123456789ab", reset.Reason, StringComparison.Ordinal);
        Assert.Equal((QuoteMessage.Types.Kind.Snapshot, epoch), (fresh.Kind, fresh.Epoch));
    }

    [Fact]
    public async Task Grpc_EpochTooLong_InvalidArgument()
    {
        using var call = _client.Subscribe(new SubscribeRequest { Symbols = { "GEP" }, Epoch = new string('e', 65) });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("epoch", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpTicks_CursorIntoDeletedTicks_410WithTheBound()
    {
        await SeedAsync("HGONE");
        var http = _hub.CreateClient();
        var page = await http.GetFromJsonAsync<JsonElement>("/api/ticks?symbol=HGONE&limit=2");
        var next = page.GetProperty("next").GetString();

        await new TickRetention(_hub.Database.DataSource).RunAsync(DateTimeOffset.UtcNow.AddDays(-30));
        var response = await http.GetAsync(new Uri($"/api/ticks?symbol=HGONE&limit=2&after={next}", UriKind.Relative));
        var restarted = await http.GetFromJsonAsync<JsonElement>("/api/ticks?symbol=HGONE&limit=2");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("deleted by retention", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(new TickCursor(Old.AddSeconds(5), 0).ToString().Split('.')[0],
            problem.GetProperty("removedThrough").GetString()!.Split('.')[0]);
        Assert.Equal(20m, restarted.GetProperty("ticks")[0].GetProperty("price").GetDecimal()); // the earliest tick still held
    }

    [Fact]
    public async Task GrpcTicks_CursorIntoDeletedTicks_OutOfRange()
    {
        await SeedAsync("GGONE");
        var page = await _client.GetTicksAsync(new GetTicksRequest { Symbol = "GGONE", Limit = 2 });

        await new TickRetention(_hub.Database.DataSource).RunAsync(DateTimeOffset.UtcNow.AddDays(-30));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.GetTicksAsync(new GetTicksRequest { Symbol = "GGONE", Limit = 2, After = page.Next }));

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Assert.StartsWith("after:", error.Status.Detail, StringComparison.Ordinal);
    }
}
