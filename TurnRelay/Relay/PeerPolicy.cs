using System.Net;
using System.Net.Sockets;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// Which peers a client may relay to. Refuses private, special and translated address space by
/// default, so the relay cannot be used to reach the host, its network or cloud metadata (SSRF).
/// Order: exact allowed endpoints, allow-list, then (unless only those are allowed) deny-list,
/// then loopback if allowed for tests, then the built-in list.
/// </summary>
/// <remarks>
/// TURN permissions are per IP address (RFC 8656 §9), so an endpoint exception alone would open
/// every port of that address once permitted. The relay paths therefore also ask
/// <see cref="PermitsDatagram"/>, which holds addresses opened only through an endpoint to
/// exactly those ports, in both directions.
/// </remarks>
internal sealed class PeerPolicy
{
    /// <summary>Special-purpose space (IANA registries, RFC 6890) and its IPv6 translations.</summary>
    private static readonly IpRange[] DefaultDenied =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "::ffff:0:0/96", "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
            "2001::/32", "2001:10::/28", "2001:20::/28", "2001:db8::/32", "2002::/16", "3fff::/20",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IpRange.Parse),
    ];

    private static readonly IpRange[] Loopback = [IpRange.Parse("127.0.0.0/8"), IpRange.Parse("::1/128")];

    private readonly IpRange[] _allowed;
    private readonly IpRange[] _denied;
    private readonly bool _allowLoopback;
    private readonly bool _onlyAllowed;
    private readonly HashSet<StunTransportAddress> _allowedEndpoints;

    /// <summary>Addresses (port 0) that the rules refuse but an allowed endpoint opens for one port.</summary>
    private readonly HashSet<StunTransportAddress> _endpointOnlyAddresses;

    public PeerPolicy(TurnRelayOptions options)
    {
        _allowed = [.. options.AllowedPeerIps.Select(IpRange.Parse)];
        _denied = [.. options.DeniedPeerIps.Select(IpRange.Parse)];
        _allowLoopback = options.AllowLoopbackPeers;
        _onlyAllowed = options.OnlyAllowedPeers;
        _allowedEndpoints = [.. options.AllowedPeerEndpoints.Select(ParseEndpoint)];
        _endpointOnlyAddresses = [.. _allowedEndpoints.Select(e => e with { Port = 0 }).Where(a => !IsAllowedAddress(a))];
    }

    /// <summary>May the client create a permission or channel for, or send to, <paramref name="peer"/> (address and port)?</summary>
    public bool IsAllowed(in StunTransportAddress peer) =>
        _allowedEndpoints.Contains(peer) || IsAllowedAddress(peer);

    /// <summary>
    /// For each relayed datagram, after the permission check: false only for a port other than the
    /// allowed endpoint's on an address that is open just for that endpoint. One set lookup, and none
    /// when no endpoint is configured.
    /// </summary>
    public bool PermitsDatagram(in StunTransportAddress peer) =>
        _endpointOnlyAddresses.Count == 0
        || !_endpointOnlyAddresses.Contains(peer with { Port = 0 })
        || _allowedEndpoints.Contains(peer);

    /// <summary>"ip:port" or "[ipv6]:port" with a port 1-65535.</summary>
    public static bool TryParseEndpoint(string value, out StunTransportAddress endpoint)
    {
        endpoint = default;
        if (!IPEndPoint.TryParse(value, out var parsed) || parsed.Port == 0
            || (parsed.AddressFamily == AddressFamily.InterNetworkV6 && parsed.Address.ScopeId != 0))
        {
            return false;
        }
        endpoint = StunTransportAddress.FromEndPoint(parsed);
        return true;
    }

    private static StunTransportAddress ParseEndpoint(string value) =>
        TryParseEndpoint(value, out var endpoint) ? endpoint : throw new FormatException($"'{value}' is not ip:port.");

    private bool IsAllowedAddress(in StunTransportAddress peer)
    {
        if (Any(_allowed, peer))
        {
            return true;
        }
        if (_onlyAllowed)
        {
            return false;
        }
        if (Any(_denied, peer))
        {
            return false;
        }
        if (_allowLoopback && Any(Loopback, peer))
        {
            return true;
        }
        return !Any(DefaultDenied, peer);
    }

    private static bool Any(IpRange[] ranges, in StunTransportAddress peer)
    {
        foreach (var range in ranges)
        {
            if (range.Contains(peer))
            {
                return true;
            }
        }
        return false;
    }
}
