using System.Net.WebSockets;
using Grpc.Core;
using Ticker.PushHub.Grpc;
using Ticker.PushHub.Grpc.V1;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>Each sink names the push core's close reasons as its transport always did (docs/protocol.md).</summary>
[Trait("Tier", "Fast")]
public sealed class SinkCloseTests
{
    [Theory]
    [InlineData("Normal", 1000)]
    [InlineData("UnsupportedData", 1003)]
    [InlineData("OverBudget", 1008)]
    [InlineData("TooSlow", 1008)]
    [InlineData("MessageTooBig", 1009)]
    [InlineData("Restarting", 1012)]
    [InlineData("Unauthenticated", 4001)]
    [InlineData("TokenExpired", 4002)]
    public void WebSocket_EveryReason_ItsCloseCode(string kind, int code)
    {
        Assert.Equal((WebSocketCloseStatus)code, WebSocketSink.Status(Enum.Parse<CloseKind>(kind)));
    }

    [Theory]
    [InlineData("TooSlow", StatusCode.ResourceExhausted, "the client took longer than 00:00:02 to accept a message")]
    [InlineData("OverBudget", StatusCode.ResourceExhausted, "the text")]
    [InlineData("TokenExpired", StatusCode.Unauthenticated, "the text")]
    public async Task Grpc_Reason_EndsWithItsStatus(string kind, StatusCode code, string detail)
    {
        using var sink = new GrpcStreamSink(null!, new HubOptions { StallTimeout = TimeSpan.FromSeconds(2) });

        await sink.CloseAsync(new CloseReason(Enum.Parse<CloseKind>(kind), "the text"));

        Assert.Equal((code, detail), (sink.Ended!.StatusCode, sink.Ended.Status.Detail));
    }

    [Fact]
    public async Task Grpc_Normal_EndsWithoutAnError()
    {
        using var sink = new GrpcStreamSink(null!, new HubOptions());

        await sink.CloseAsync(CloseReason.Bye);

        Assert.Null(sink.Ended);
    }

    [Fact]
    public async Task Grpc_WritePendingWhenClosed_CancelledAndAnswersFalse()
    {
        var stream = new PendingStream();
        using var sink = new GrpcStreamSink(stream, new HubOptions());
        var write = sink.WriteHeartbeatAsync(DateTimeOffset.UnixEpoch, CancellationToken.None);

        await sink.CloseAsync(CloseReason.TooSlow);

        Assert.False(await write);
    }

    /// <summary>A client that never accepts a message: writes end only when cancelled.</summary>
    private sealed class PendingStream : IServerStreamWriter<QuoteMessage>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(QuoteMessage message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(QuoteMessage message, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
