using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// The STUN/TURN server: listeners, allocations and the request handlers (TurnServer.*.cs).
/// Runs as a hosted service in both the standalone executable and PushHub.
/// </summary>
internal sealed partial class TurnServer : IHostedService, IAsyncDisposable
{
    private readonly List<UdpListener> _udp = [];
    private readonly List<TcpAcceptor> _tcp = [];
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<Allocation, byte> _allocations = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly Lock _quotaLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _total;
    private Task? _sweeper;

    public TurnServer(IOptions<TurnRelayOptions> options, ILogger<TurnServer>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        Logger = (ILogger?)logger ?? NullLogger.Instance;
        time ??= TimeProvider.System;
        Clock = new Clock(time);
        Nonces = new NonceService(time, TimeSpan.FromSeconds(Options.StaleNonce));
        Credentials = new CredentialStore(Options, time);
        Policy = new PeerPolicy(Options);
        RateLimiter = new UnauthenticatedRateLimiter(Options.UnauthenticatedRatePerSecond, time);
        RelayPlan = new RelayAddressPlan(Options);
    }

    public TurnRelayOptions Options { get; }

    public ILogger Logger { get; }

    public Clock Clock { get; }

    public TurnMetrics Metrics { get; } = new();

    internal NonceService Nonces { get; }

    internal CredentialStore Credentials { get; }

    internal PeerPolicy Policy { get; }

    internal UnauthenticatedRateLimiter RateLimiter { get; }

    internal RelayAddressPlan RelayPlan { get; }

    internal PortReservations Reservations { get; } = new();

    /// <summary>Drives relay sockets on Linux x86-64; null elsewhere (async receive loops instead).</summary>
    internal RelayPoller? Poller { get; private set; }

    public IReadOnlyList<IPEndPoint> UdpEndPoints => [.. _udp.Select(u => u.LocalEndPoint)];

    public IReadOnlyList<IPEndPoint> TcpEndPoints => [.. _tcp.Where(t => t.Kind == TransportKind.Tcp).Select(t => t.LocalEndPoint)];

    public IReadOnlyList<IPEndPoint> TlsEndPoints => [.. _tcp.Where(t => t.Kind == TransportKind.Tls).Select(t => t.LocalEndPoint)];

    public int AllocationCount => Volatile.Read(ref _total);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var ips = AddressList.Split(Options.ListeningIp).Select(IPAddress.Parse).ToList();
        if (ips.Count == 0)
        {
            ips.Add(IPAddress.Any);
            if (Socket.OSSupportsIPv6)
            {
                ips.Add(IPAddress.IPv6Any);
            }
        }
        var certificate = LoadCertificate();
        // Port 0 (tests): UDP takes a free port and TCP the same number; retry if TCP has it in use.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                OpenListeners(ips, certificate);
                break;
            }
            catch (SocketException) when (Options.Port == 0 && attempt < 20)
            {
                DisposeListeners();
                _udp.Clear();
                _tcp.Clear();
            }
            catch
            {
                DisposeListeners();
                throw;
            }
        }
        Poller = Options.RelayPoller ? RelayPoller.TryCreate(Logger) : null;
        foreach (var udp in _udp)
        {
            _loops.Add(udp.RunAsync(Options.UdpReceiveLoops, _stopping.Token));
        }
        foreach (var tcp in _tcp)
        {
            _loops.Add(Task.Run(() => tcp.RunAsync(_stopping.Token), CancellationToken.None));
        }
        _sweeper = SweepAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private void OpenListeners(List<IPAddress> ips, X509Certificate2? certificate)
    {
        foreach (var ip in ips)
        {
            if (!Options.NoUdp)
            {
                var udp = new UdpListener(this, new IPEndPoint(ip, Options.Port));
                _udp.Add(udp);
                TurnRelayLog.Listening(Logger, "UDP", udp.LocalEndPoint);
            }
            if (!Options.NoTcp)
            {
                var port = Options.Port == 0 && _udp.Count > 0 ? _udp[^1].LocalEndPoint.Port : Options.Port;
                var tcp = new TcpAcceptor(this, new IPEndPoint(ip, port), null);
                _tcp.Add(tcp);
                TurnRelayLog.Listening(Logger, "TCP", tcp.LocalEndPoint);
            }
            if (certificate is not null)
            {
                var tls = new TcpAcceptor(this, new IPEndPoint(ip, Options.TlsPort), certificate);
                _tcp.Add(tls);
                TurnRelayLog.Listening(Logger, "TLS", tls.LocalEndPoint);
            }
        }
    }

    private X509Certificate2? LoadCertificate()
    {
        if (Options.NoTls)
        {
            return null;
        }
        if (Options.TlsCertificateFile is null || Options.TlsPrivateKeyFile is null)
        {
            TurnRelayLog.NoTls(Logger, "no certificate configured (cert, pkey)");
            return null;
        }
        using var pem = X509Certificate2.CreateFromPemFile(Options.TlsCertificateFile, Options.TlsPrivateKeyFile);
        // Re-import so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        DisposeListeners();
        var active = AllocationCount;
        Reservations.Sweep(long.MaxValue);
        foreach (var allocation in _allocations.Keys)
        {
            allocation.Dispose();
        }
        try
        {
            await Task.WhenAll(_loops.Append(_sweeper ?? Task.CompletedTask)).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        Poller?.Dispose();
        TurnRelayLog.Stopped(Logger, active, Metrics.DatagramsRelayed, GC.GetTotalAllocatedBytes());
    }

    private void DisposeListeners()
    {
        foreach (var udp in _udp)
        {
            udp.Dispose();
        }
        foreach (var tcp in _tcp)
        {
            tcp.Dispose();
        }
    }

    /// <summary>Closes expired allocations and prunes permissions and channels, once a second.</summary>
    private async Task SweepAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Clock.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                SweepNow();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal void SweepNow()
    {
        var now = Clock.NowMs;
        Reservations.Sweep(now);
        foreach (var allocation in _allocations.Keys)
        {
            if (allocation.ExpiresAtMs <= now)
            {
                TurnRelayLog.AllocationClosed(Logger, allocation.RelayedAddress.ToString(), "expired");
                allocation.Dispose();
            }
            else
            {
                allocation.Sweep(now);
            }
        }
    }

    /// <summary>Takes a slot for a new allocation: 0 on success, else 486 (user quota) or 508 (total).</summary>
    private int TryReserveQuota(string username)
    {
        username = QuotaUser(username);
        lock (_quotaLock)
        {
            if (Options.TotalQuota > 0 && _total >= Options.TotalQuota)
            {
                return Stun.StunErrorCode.InsufficientCapacity;
            }
            _perUser.TryGetValue(username, out var count);
            if (Options.UserQuota > 0 && count >= Options.UserQuota)
            {
                return Stun.StunErrorCode.AllocationQuotaReached;
            }
            _perUser[username] = count + 1;
            _total++;
            return 0;
        }
    }

    /// <summary>
    /// Whose quota an allocation counts against: for REST credentials ("expiry:user") the user, not
    /// the whole name, whose expiry differs with every credential handed out.
    /// </summary>
    private string QuotaUser(string username)
    {
        var colon = username.IndexOf(':', StringComparison.Ordinal);
        return !string.IsNullOrEmpty(Options.StaticAuthSecret) && colon >= 0 && TurnRestCredentials.TryGetExpiry(username, out _)
            ? username[(colon + 1)..]
            : username;
    }

    private void ReleaseQuota(string username)
    {
        username = QuotaUser(username);
        lock (_quotaLock)
        {
            _total--;
            if (_perUser.TryGetValue(username, out var count) && count > 1)
            {
                _perUser[username] = count - 1;
            }
            else
            {
                _perUser.Remove(username);
            }
        }
    }

    internal void OnAllocationDisposed(Allocation allocation)
    {
        if (_allocations.TryRemove(allocation, out _))
        {
            ReleaseQuota(allocation.Username);
            Metrics.AllocationDeleted();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        _stopping.Dispose();
        Metrics.Dispose();
    }
}
