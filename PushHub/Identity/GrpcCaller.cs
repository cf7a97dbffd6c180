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
}
