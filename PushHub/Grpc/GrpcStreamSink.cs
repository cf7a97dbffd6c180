using Grpc.Core;
using Ticker.PushHub.Grpc.V1;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Grpc;

/// <summary>
/// A Subscribe call's server stream as a <see cref="ISubscriberSink"/>: each message a protobuf
/// <c>QuoteMessage</c>. A stream ends with a status rather than a close frame: <see cref="Ended"/>
/// holds the one to throw once the pump returns (none for a normal end).
/// </summary>
internal sealed class GrpcStreamSink(IServerStreamWriter<QuoteMessage> stream, HubOptions limits) : ISubscriberSink, IDisposable
{
    // Cancelled on close: a write the client never accepts must not outlive the call.
    private readonly CancellationTokenSource _writes = new();
    private Task _inFlight = Task.CompletedTask;

    /// <summary>The status the call ends with, set by <see cref="CloseAsync"/>.</summary>
    public RpcException? Ended { get; private set; }

    public ValueTask<bool> WriteAsync(Outgoing message, CancellationToken cancellationToken) => Write(GrpcMapping.ToMessage(message), cancellationToken);

    public ValueTask<bool> WriteHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => Write(GrpcMapping.Heartbeat(now), cancellationToken);

    public async Task CloseAsync(CloseReason reason)
    {
        Ended = Status(reason) is { } status ? new RpcException(status) : null;
        await _writes.CancelAsync();
        await _inFlight.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _writes.Dispose();

    private Status? Status(CloseReason reason) => reason.Kind switch
    {
        CloseKind.Normal => null,
        CloseKind.TooSlow => new Status(StatusCode.ResourceExhausted, $"the client took longer than {limits.StallTimeout} to accept a message"),
        CloseKind.OverBudget or CloseKind.MessageTooBig => new Status(StatusCode.ResourceExhausted, reason.Text),
        CloseKind.Unauthenticated or CloseKind.TokenExpired => new Status(StatusCode.Unauthenticated, reason.Text),
        CloseKind.Restarting => new Status(StatusCode.Unavailable, reason.Text),
        CloseKind.UnsupportedData => new Status(StatusCode.InvalidArgument, reason.Text),
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason.Kind, "no gRPC status"),
    };

    private ValueTask<bool> Write(QuoteMessage message, CancellationToken cancellationToken)
    {
        var write = WriteCoreAsync(message, cancellationToken);
        _inFlight = write;
        return new ValueTask<bool>(write);
    }

    private async Task<bool> WriteCoreAsync(QuoteMessage message, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _writes.Token);
        try
        {
            await stream.WriteAsync(message, either.Token);
            return true;
        }
        catch (OperationCanceledException) when (_writes.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
