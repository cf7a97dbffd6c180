using System.Net.Sockets;
using System.Security.Cryptography;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// Relay ports held for a later Allocate with RESERVATION-TOKEN (RFC 8656 §7.2, EVEN-PORT R bit):
/// 8 random bytes name a bound socket for 30 seconds.
/// </summary>
internal sealed class PortReservations
{
    private const int LifetimeMs = 30_000;
    private const int Limit = 4096;
    private readonly Dictionary<ulong, (Socket Socket, long ExpiresAtMs)> _reserved = [];
    private readonly Lock _lock = new();

    public byte[]? Add(Socket socket, long nowMs)
    {
        var token = RandomNumberGenerator.GetBytes(8);
        lock (_lock)
        {
            if (_reserved.Count >= Limit)
            {
                socket.Dispose();
                return null;
            }
            _reserved[BitConverter.ToUInt64(token)] = (socket, nowMs + LifetimeMs);
        }
        return token;
    }

    public Socket? Take(ReadOnlySpan<byte> token, long nowMs)
    {
        if (token.Length != 8)
        {
            return null;
        }
        lock (_lock)
        {
            if (!_reserved.Remove(BitConverter.ToUInt64(token), out var entry))
            {
                return null;
            }
            if (entry.ExpiresAtMs > nowMs)
            {
                return entry.Socket;
            }
            entry.Socket.Dispose();
            return null;
        }
    }

    public void Sweep(long nowMs)
    {
        lock (_lock)
        {
            foreach (var (key, entry) in _reserved.Where(r => r.Value.ExpiresAtMs <= nowMs).ToList())
            {
                _reserved.Remove(key);
                entry.Socket.Dispose();
            }
        }
    }
}
