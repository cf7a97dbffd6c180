using Grpc.Core;

namespace Ticker.PushHub.Operations;

/// <summary>A call's context whose cancellation also fires when the hub starts draining.</summary>
internal sealed class DrainingCallContext(ServerCallContext inner, CancellationToken cancellationToken) : ServerCallContext
{
    protected override string MethodCore => inner.Method;

    protected override string HostCore => inner.Host;

    protected override string PeerCore => inner.Peer;

    protected override DateTime DeadlineCore => inner.Deadline;

    protected override Metadata RequestHeadersCore => inner.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore => inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => inner.Status;
        set => inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => inner.WriteResponseHeadersAsync(responseHeaders);
}
