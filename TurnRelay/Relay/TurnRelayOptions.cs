namespace Ticker.TurnRelay;

/// <summary>
/// Settings of the relay, bound from the configuration section "Turn". The standalone executable
/// maps coturn's option names onto these (see docs/turn.md).
/// </summary>
public sealed class TurnRelayOptions
{
    /// <summary>Runs the relay as a hosted service (bundled mode). The standalone executable forces it on.</summary>
    public bool Enabled { get; set; }

    /// <summary>coturn listening-port: UDP and TCP.</summary>
    public int Port { get; set; } = 3478;

    /// <summary>coturn tls-listening-port; TLS runs only when a certificate is configured.</summary>
    public int TlsPort { get; set; } = 5349;

    /// <summary>coturn listening-ip; comma-separated. Empty: every IPv4 and IPv6 address.</summary>
    public string? ListeningIp { get; set; }

    /// <summary>coturn relay-ip; comma-separated. Empty: the listening addresses, or the host's primary ones.</summary>
    public string? RelayIp { get; set; }

    /// <summary>coturn external-ip: "public" or "public/private", for a relay behind 1:1 NAT; comma-separated.</summary>
    public string? ExternalIp { get; set; }

    public int MinPort { get; set; } = 49152;

    public int MaxPort { get; set; } = 65535;

    public string Realm { get; set; } = "ticker";

    /// <summary>coturn static-auth-secret (use-auth-secret): TURN REST-API ephemeral credentials.</summary>
    public string? StaticAuthSecret { get; set; }

    /// <summary>Long-term static users: name to password, or to "0x" + hex of MD5(name:realm:password).</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Allows relaying to 127.0.0.0/8 and ::1. For tests only.</summary>
    public bool AllowLoopbackPeers { get; set; }

    /// <summary>coturn allowed-peer-ip: addresses, ranges "a-b" or CIDR, which override the deny-list.</summary>
    public List<string> AllowedPeerIps { get; } = [];

    /// <summary>coturn denied-peer-ip: extra addresses, ranges or CIDR blocks refused as peers.</summary>
    public List<string> DeniedPeerIps { get; } = [];

    /// <summary>
    /// Exact peers "ip:port" ("[ipv6]:port") allowed even when their address is denied, e.g. the hub's
    /// own ICE endpoint on 127.0.0.1 or a LAN address. Only those ports: traffic to or from any other
    /// port of a denied address stays refused. No coturn equivalent.
    /// </summary>
    public List<string> AllowedPeerEndpoints { get; } = [];

    /// <summary>
    /// Refuse every peer but <see cref="AllowedPeerEndpoints"/> and <see cref="AllowedPeerIps"/>: a relay
    /// that exists to reach one service (the hub bundles it so browsers reach its ICE port) relays
    /// to nothing else. No coturn equivalent; off by default standalone, on by default bundled.
    /// </summary>
    public bool OnlyAllowedPeers { get; set; }

    /// <summary>
    /// coturn user-quota: allocations per user at a time. With REST credentials ("expiry:user") the
    /// user is the part after the expiry, so renewed credentials of one user share one quota.
    /// </summary>
    public int UserQuota { get; set; } = 64;

    /// <summary>coturn total-quota: allocations in total.</summary>
    public int TotalQuota { get; set; } = 10_000;

    public int MaxPermissionsPerAllocation { get; set; } = 64;

    /// <summary>coturn max-bps: bytes per second relayed per allocation (both directions); 0 = unlimited.</summary>
    public long MaxBps { get; set; }

    /// <summary>coturn stale-nonce: nonce lifetime in seconds.</summary>
    public int StaleNonce { get; set; } = 600;

    /// <summary>coturn max-allocate-lifetime, seconds.</summary>
    public int MaxAllocateLifetime { get; set; } = 3600;

    public int DefaultAllocateLifetime { get; set; } = 600;

    /// <summary>401/438 answers per second per source address bucket before they are dropped.</summary>
    public int UnauthenticatedRatePerSecond { get; set; } = 200;

    /// <summary>Adds FINGERPRINT to every response (coturn fingerprint); otherwise only when the request had one.</summary>
    public bool Fingerprint { get; set; }

    public bool NoUdp { get; set; }

    public bool NoTcp { get; set; }

    public bool NoTls { get; set; }

    /// <summary>coturn cert: PEM certificate (chain) for TLS.</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>coturn pkey: PEM private key for TLS.</summary>
    public string? TlsPrivateKeyFile { get; set; }

    public int MaxTcpConnections { get; set; } = 4096;

    /// <summary>A TCP/TLS connection without an allocation is closed after this many seconds.</summary>
    public int UnauthenticatedTcpTimeout { get; set; } = 30;

    /// <summary>SOFTWARE attribute of responses; empty to omit.</summary>
    public string Software { get; set; } = "Ticker TurnRelay";

    /// <summary>
    /// Accepts ChannelBind numbers 0x5000–0x7FFF as RFC 5766 did (coturn and its turnutils_uclient use
    /// them). Off by default: RFC 8656 §12 allows only 0x4000–0x4FFF.
    /// </summary>
    public bool LegacyChannelNumbers { get; set; }

    /// <summary>On Linux x86-64, one epoll thread reads every relay socket (cheaper than async receives).</summary>
    public bool RelayPoller { get; set; } = true;

    /// <summary>Receive loops per UDP listening socket.</summary>
    public int UdpReceiveLoops { get; set; } = 1;
}
