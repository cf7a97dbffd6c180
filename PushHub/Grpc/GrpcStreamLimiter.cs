using System.Collections.Concurrent;
using System.Net;

namespace Ticker.PushHub.Grpc;

/// <summary>
/// Open Subscribe streams per client address: HTTP/2 lets one connection carry many streams, so
/// the WebSocket's per-connection cap alone would not bound a gRPC caller.
/// </summary>
internal sealed class GrpcStreamLimiter
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();

    /// <summary>A slot to dispose when the stream ends; null when the address already holds <paramref name="limit"/>.</summary>
    public IDisposable? Enter(IPAddress? remote, int limit)
    {
        var address = remote ?? IPAddress.None;
        if (_perAddress.AddOrUpdate(address, 1, (_, n) => n + 1) > limit)
        {
            Leave(address);
            return null;
        }

        return new Slot(this, address);
    }

    /// <summary>Streams open from <paramref name="address"/> (tests).</summary>
    internal int Count(IPAddress address) => _perAddress.GetValueOrDefault(address);

    private void Leave(IPAddress address)
    {
        if (_perAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
        {
            _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
        }
    }

    private sealed class Slot(GrpcStreamLimiter owner, IPAddress address) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(address);
            }
        }
    }
}
