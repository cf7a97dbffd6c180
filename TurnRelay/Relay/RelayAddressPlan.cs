using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// Where relay sockets bind, per address family, and what address the client is told
/// (external-ip "public/private" maps the bound private address to the public one, RFC 8656 §3.1 NAT note).
/// Ports come from a CSPRNG within [min-port, max-port].
/// </summary>
internal sealed class RelayAddressPlan
{
    private const int BindAttempts = 64;
    private readonly Dictionary<AddressFamily, (IPAddress Bind, IPAddress Advertised)> _byFamily = [];
    private readonly int _minPort;
    private readonly int _maxPort;

    public RelayAddressPlan(TurnRelayOptions options)
    {
        _minPort = options.MinPort;
        _maxPort = options.MaxPort;
        var external = AddressList.Split(options.ExternalIp).Select(e => e.Split('/')).ToList();
        var candidates = AddressList.Split(options.RelayIp).Select(IPAddress.Parse).ToList();
        if (candidates.Count == 0)
        {
            candidates.AddRange(AddressList.Split(options.ListeningIp).Select(IPAddress.Parse)
                .Where(ip => !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)));
        }
        if (candidates.Count == 0)
        {
            candidates.AddRange(new[] { Probe(AddressFamily.InterNetwork), Probe(AddressFamily.InterNetworkV6) }.OfType<IPAddress>());
        }
        foreach (var bind in candidates)
        {
            if (_byFamily.ContainsKey(bind.AddressFamily))
            {
                continue;
            }
            var advertised = bind;
            foreach (var parts in external)
            {
                var pub = IPAddress.Parse(parts[0]);
                if (parts.Length == 2 ? IPAddress.Parse(parts[1]).Equals(bind) : pub.AddressFamily == bind.AddressFamily)
                {
                    advertised = pub;
                    break;
                }
            }
            _byFamily[bind.AddressFamily] = (bind, advertised);
        }
    }

    public bool Supports(AddressFamily family) => _byFamily.ContainsKey(family);

    public IEnumerable<IPAddress> BindAddresses => _byFamily.Values.Select(v => v.Bind);

    /// <summary>Binds a relay socket on a random port (even if asked, RFC 8656 §7.2 EVEN-PORT); null when none is free.</summary>
    public Socket? TryBind(AddressFamily family, bool evenPort, out StunTransportAddress advertised) =>
        TryBind(family, evenPort, reserveNext: false, out advertised, out _);

    /// <summary>
    /// As above; with <paramref name="reserveNext"/> (EVEN-PORT with R set) also binds port + 1 and
    /// returns it in <paramref name="next"/> for a later Allocate with RESERVATION-TOKEN.
    /// </summary>
    public Socket? TryBind(AddressFamily family, bool evenPort, bool reserveNext, out StunTransportAddress advertised, out Socket? next)
    {
        advertised = default;
        next = null;
        if (!_byFamily.TryGetValue(family, out var plan))
        {
            return null;
        }
        for (var attempt = 0; attempt < BindAttempts; attempt++)
        {
            var port = RandomNumberGenerator.GetInt32(_minPort, _maxPort + 1);
            if (evenPort)
            {
                port &= ~1;
                if (port < _minPort)
                {
                    continue;
                }
            }
            var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (family == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }
                socket.Bind(new IPEndPoint(plan.Bind, port));
                socket.ReceiveBufferSize = 256 << 10;
                if (reserveNext)
                {
                    if (port + 1 > _maxPort)
                    {
                        socket.Dispose();
                        continue;
                    }
                    next = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                    try
                    {
                        next.Bind(new IPEndPoint(plan.Bind, port + 1));
                    }
                    catch (SocketException)
                    {
                        next.Dispose();
                        next = null;
                        socket.Dispose();
                        continue;
                    }
                }
                advertised = StunTransportAddress.FromEndPoint(new IPEndPoint(plan.Advertised, port));
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }
        return null;
    }

    public StunTransportAddress Advertise(Socket socket)
    {
        var local = (IPEndPoint)socket.LocalEndPoint!;
        return StunTransportAddress.FromEndPoint(new IPEndPoint(_byFamily[local.AddressFamily].Advertised, local.Port));
    }

    /// <summary>The host's primary address of a family: the source a UDP "connect" picks (no packet is sent).</summary>
    private static IPAddress? Probe(AddressFamily family)
    {
        try
        {
            using var probe = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(family == AddressFamily.InterNetwork ? IPAddress.Parse("192.0.2.1") : IPAddress.Parse("2001:db8::1"), 9);
            var local = ((IPEndPoint)probe.LocalEndPoint!).Address;
            return local.IsIPv6LinkLocal ? null : local;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
