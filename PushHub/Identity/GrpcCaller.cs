using Grpc.Core;

namespace Ticker.PushHub.Identity;

/// <summary>gRPC admission, the same rule as <see cref="EntitlementFilter"/>: Unauthenticated, or PermissionDenied naming what is missing.</summary>
internal static class GrpcCaller
{
    public static Entitlements Require(ServerCallContext context, string scope, IEnumerable<string> symbols)
    {
        if (CallerIdentity.Of(context.GetHttpContext()) is not { } caller)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a valid bearer token is required (authorization: Bearer ...)"));
        }

        if (!caller.Has(scope))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"the token does not carry the \"{scope}\" scope"));
        }

        if (caller.FirstRefused(symbols) is { } refused)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{refused}: not among the symbols the token allows"));
        }

        return caller;
    }

    /// <summary>A stream's cancellation that also fires at the token's <c>exp</c>: a gRPC stream has no refresh, so it ends there.</summary>
    public static CancellationTokenSource UntilExpiry(Entitlements caller, TimeProvider clock, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Beyond CancelAfter's range (about 24 days) the token outlives any stream worth ending.
        if (caller.Expires is { } expires && expires - clock.GetUtcNow() is var left && left.TotalMilliseconds < int.MaxValue)
        {
            source.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1));
        }

        return source;
    }

    /// <summary>
    /// Ends the call as Unauthenticated when <paramref name="untilExpiry"/> (from <see cref="UntilExpiry"/>)
    /// fired while the call itself was not cancelled. The timer decides, not a second look at the
    /// wall clock: a timer runs on the monotonic clock and can fire a moment before UtcNow reaches
    /// <c>exp</c>, which once let an expired stream end with OK.
    /// </summary>
    public static void ThrowIfExpired(CancellationTokenSource untilExpiry, CancellationToken call)
    {
        if (untilExpiry.IsCancellationRequested && !call.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "token expired"));
        }
    }
}
