using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Ticker.PushHub.Operations;

/// <summary>
/// Ends server streams of a draining hub with UNAVAILABLE (the status gRPC clients retry on another
/// server): the handler sees its call's token cancelled, returns, and the status replaces its OK.
/// </summary>
internal sealed class DrainInterceptor(DrainCoordinator drain) : Interceptor
{
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (drain.IsDraining)
        {
            throw Unavailable();
        }

        using var lease = drain.Track();
        // grpc-dotnet finds the HttpContext of a wrapped context under this documented user-state key.
        context.UserState["__HttpContext"] = context.GetHttpContext();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.Draining);
        try
        {
            await continuation(request, responseStream, new DrainingCallContext(context, linked.Token));
        }
        catch (OperationCanceledException) when (drain.IsDraining && !context.CancellationToken.IsCancellationRequested)
        {
            // The handler stopped on the drain's cancellation, as it would on the client's.
        }

        if (drain.IsDraining && !context.CancellationToken.IsCancellationRequested)
        {
            throw Unavailable();
        }
    }

    private static RpcException Unavailable() =>
        new(new Status(StatusCode.Unavailable, "service restart: this hub is stopping; subscribe again (to another hub) with resume"));
}
