using System.Net;
using System.Net.Sockets;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// One TURN allocation (RFC 8656 §2.2): a relayed transport address, its permissions (§9) and
/// channels (§12), and the 5-tuple of the client that owns it. Control state changes under a lock;
/// the relay paths live in Allocation.Relay.cs.
/// </summary>
internal sealed partial class Allocation : IPollable, IDisposable
{
    public const int PermissionLifetimeMs = 300_000;
    public const int ChannelLifetimeMs = 600_000;
    private const int PeerCacheLimit = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, long> _permissions = [];
    private readonly ChannelBinding?[] _channelsByNumber = new ChannelBinding?[ChannelDataFrame.MaxLegacyChannel - ChannelDataFrame.MinChannel + 1];
    private readonly Dictionary<StunTransportAddress, ChannelBinding> _channelsByPeer = [];
    private readonly Dictionary<StunTransportAddress, SocketAddress> _peerCache = [];
    private readonly int _maxPermissions;
    private readonly TurnServer _server;
    private int _disposed;

    public Allocation(TurnServer server, ClientConnection client, string username, byte[] key, Socket relaySocket,
        StunTransportAddress relayedAddress, long expiresAtMs, int maxPermissions, long maxBps)
    {
        _server = server;
        Client = client;
        Username = username;
        Key = key;
        RelaySocket = relaySocket;
        RelayedAddress = relayedAddress;
        ExpiresAtMs = expiresAtMs;
        _maxPermissions = maxPermissions;
        Bandwidth = new BandwidthLimiter(maxBps);
        RelayFamily = relayedAddress.Family;
    }

    public ClientConnection Client { get; }

    public string Username { get; }

    /// <summary>The long-term key the allocation was created with; later requests must use the same user.</summary>
    public byte[] Key { get; }

    public Socket RelaySocket { get; }

    Socket IPollable.Socket => RelaySocket;

    /// <summary>The address given to the client (the external address when behind NAT).</summary>
    public StunTransportAddress RelayedAddress { get; }

    public AddressFamily RelayFamily { get; }

    public BandwidthLimiter Bandwidth { get; }

    public long ExpiresAtMs { get; set; }

    /// <summary>Transaction id of the Allocate request that made this allocation, to answer retransmissions.</summary>
    public byte[] AllocateTransactionId { get; init; } = [];

    /// <summary>RESERVATION-TOKEN handed out with this allocation (EVEN-PORT with R set), if any.</summary>
    public byte[]? ReservationToken { get; init; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public int PermissionCount
    {
        get
        {
            lock (_lock)
            {
                return _permissions.Count;
            }
        }
    }

    /// <summary>Installs or refreshes a permission (RFC 8656 §9); false when the per-allocation cap is reached.</summary>
    public bool TryAddPermission(UInt128 peerAddress, long nowMs)
    {
        lock (_lock)
        {
            if (!_permissions.ContainsKey(peerAddress) && _permissions.Count >= _maxPermissions)
            {
                PrunePermissions(nowMs);
                if (_permissions.Count >= _maxPermissions)
                {
                    return false;
                }
            }
            _permissions[peerAddress] = nowMs + PermissionLifetimeMs;
            return true;
        }
    }

    public bool HasPermission(UInt128 peerAddress, long nowMs)
    {
        lock (_lock)
        {
            return _permissions.TryGetValue(peerAddress, out var expires) && expires > nowMs;
        }
    }

    public enum BindResult
    {
        Ok,
        Conflict,
        PermissionQuota,
    }

    /// <summary>
    /// RFC 8656 §12.2: a channel number is bound to at most one peer and a peer to at most one
    /// channel; rebinding the same pair refreshes it. Binding also installs a permission.
    /// </summary>
    public BindResult BindChannel(ushort number, in StunTransportAddress peer, long nowMs)
    {
        lock (_lock)
        {
            var index = number - ChannelDataFrame.MinChannel;
            var existing = _channelsByNumber[index];
            if (existing is not null && existing.ExpiresAtMs <= nowMs)
            {
                // An expired channel is unusable but stays reserved for 5 more minutes (§12); refreshing the same pair is fine.
                if (existing.ExpiresAtMs + PermissionLifetimeMs <= nowMs)
                {
                    _channelsByNumber[index] = null;
                    _channelsByPeer.Remove(existing.Peer);
                    existing = null;
                }
            }
            if (existing is not null && existing.Peer != peer)
            {
                return BindResult.Conflict;
            }
            if (existing is null && _channelsByPeer.TryGetValue(peer, out var other) && other.Number != number
                && other.ExpiresAtMs + PermissionLifetimeMs > nowMs)
            {
                return BindResult.Conflict;
            }
            if (!_permissions.ContainsKey(peer.AddressKey) && _permissions.Count >= _maxPermissions)
            {
                PrunePermissions(nowMs);
                if (_permissions.Count >= _maxPermissions)
                {
                    return BindResult.PermissionQuota;
                }
            }
            if (existing is null)
            {
                if (_channelsByPeer.Remove(peer, out var stale))
                {
                    _channelsByNumber[stale.Number - ChannelDataFrame.MinChannel] = null;
                }
                existing = new ChannelBinding(number, peer);
                _channelsByNumber[index] = existing;
                _channelsByPeer[peer] = existing;
            }
            existing.ExpiresAtMs = nowMs + ChannelLifetimeMs;
            _permissions[peer.AddressKey] = nowMs + PermissionLifetimeMs;
            return BindResult.Ok;
        }
    }

    /// <summary>Drops expired permissions and channels; called by the server's sweep.</summary>
    public void Sweep(long nowMs)
    {
        lock (_lock)
        {
            PrunePermissions(nowMs);
            foreach (var binding in _channelsByPeer.Values.Where(b => b.ExpiresAtMs + PermissionLifetimeMs <= nowMs).ToList())
            {
                _channelsByPeer.Remove(binding.Peer);
                _channelsByNumber[binding.Number - ChannelDataFrame.MinChannel] = null;
            }
            if (_peerCache.Count > PeerCacheLimit / 2)
            {
                _peerCache.Clear();
            }
        }
    }

    private void PrunePermissions(long nowMs)
    {
        foreach (var (peer, expires) in _permissions.Where(p => p.Value <= nowMs).ToList())
        {
            _permissions.Remove(peer);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _server.Poller?.Remove(this);
        RelaySocket.Dispose();
        Client.Detach(this);
        _server.OnAllocationDisposed(this);
    }
}
