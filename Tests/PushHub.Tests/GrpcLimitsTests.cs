using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.PushHub.Grpc.V1;

namespace Ticker.PushHub.Tests;

/// <summary>gRPC Subscribe: a cap on streams per caller, heartbeats while quiet, HTTP/2 keep-alive pings.</summary>
public sealed class GrpcLimitsTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private GrpcChannel _channel = null!;
    private TickerService.TickerServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Hub:MaxConnectionsPerAddress"] = "2";
        _hub.Settings["Hub:HeartbeatInterval"] = "00:00:01";
        _hub.Settings["Hub:Http2KeepAlivePingDelay"] = "00:00:07";
        _channel = GrpcChannel.ForAddress(_hub.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _hub.Server.CreateHandler() });
        _client = new TickerService.TickerServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await ((IAsyncLifetime)_hub).DisposeAsync();
    }

    [Fact]
    public async Task Subscribe_OverTheCapPerAddress_ResourceExhaustedOthersServed()
    {
        using var one = _client.Subscribe(new SubscribeRequest { Symbols = { "Q1" } });
        using var two = _client.Subscribe(new SubscribeRequest { Symbols = { "Q2" } });
        await one.ResponseStream.MoveNext(CancellationToken.None); // both streams are open once each answered
        await two.ResponseStream.MoveNext(CancellationToken.None);

        using var three = _client.Subscribe(new SubscribeRequest { Symbols = { "Q3" } });
        var refused = await Assert.ThrowsAsync<RpcException>(() => three.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Hub:MaxConnectionsPerAddress", refused.Status.Detail, StringComparison.Ordinal);

        one.Dispose(); // the slot is given back when a stream ends
        using var again = await SubscribeUntilAcceptedAsync();
        Assert.True(await again.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task Subscribe_QuietSymbols_Heartbeats()
    {
        using var call = _client.Subscribe(new SubscribeRequest { Symbols = { "QUIET" } });

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var first = call.ResponseStream.Current;
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(QuoteMessage.Types.Kind.Heartbeat, first.Kind);
        Assert.Equal(QuoteMessage.Types.Kind.Heartbeat, call.ResponseStream.Current.Kind);
        Assert.True(call.ResponseStream.Current.Ts.ToDateTimeOffset() >= first.Ts.ToDateTimeOffset());
    }

    [Fact]
    public void Kestrel_Http2KeepAlivePings_OnAndConfigurable()
    {
        var kestrel = _hub.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(7), kestrel.Limits.Http2.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), kestrel.Limits.Http2.KeepAlivePingTimeout);
    }

    /// <summary>A disposed call's stream ends on the server a moment later: retry until its slot is free.</summary>
    private async Task<AsyncServerStreamingCall<QuoteMessage>> SubscribeUntilAcceptedAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var call = _client.Subscribe(new SubscribeRequest { Symbols = { "Q4" } });
            try
            {
                await call.ResponseStream.MoveNext(CancellationToken.None);
                return call;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && attempt < 100)
            {
                call.Dispose();
                await Task.Delay(50);
            }
        }
    }
}
