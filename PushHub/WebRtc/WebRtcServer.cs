using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.PushHub.WebRtc.Dtls;
using Ticker.PushHub.WebRtc.Ice;
using Ticker.PushHub.WebRtc.Sdp;

namespace Ticker.PushHub.WebRtc;

/// <summary>
/// The hub as a WebRTC peer: one UDP port shared by every session, demultiplexed by first byte
/// (RFC 7983) — STUN checks are routed by their USERNAME, DTLS by the address a check proved —
/// and the sessions that signaling opens on it.
/// </summary>
public sealed partial class WebRtcServer(IOptions<WebRtcOptions> options, WebRtcMetrics metrics, TimeProvider clock, ILogger<WebRtcServer> logger)
    : BackgroundService
{
    /// <summary>Our a=max-message-size: subscribers send nothing large over a channel.</summary>
    public const int MaxMessageBytes = 65536;

    private const int MaxDatagramBytes = 2048;

    private readonly WebRtcOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, PeerSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SocketAddress, PeerSession> _byAddress = new();
    private readonly AddressCounter _perAddress = new(options.Value.MaxSessionsPerAddress);
    private readonly ConcurrentDictionary<PeerSession, IPAddress> _clientOf = new();
    private DtlsCertificate? _certificate;
    private Socket? _socket;

    public WebRtcMetrics Metrics => metrics;

    /// <summary>The host candidates every answer offers (advertised addresses first).</summary>
    public IReadOnlyList<IPEndPoint> Candidates { get; private set; } = [];

    public int SessionCount => _byUfrag.Count;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _certificate = DtlsCertificate.Generate(clock);
        var listen = IPAddress.Parse(_options.ListenAddress);
        _socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20, SendBufferSize = 4 << 20 };
        _socket.Bind(new IPEndPoint(listen, _options.Port));
        var port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        Candidates = HostCandidates.Addresses(_options).Select(a => new IPEndPoint(a, port)).ToList();
        LogListening(logger, port, string.Join(", ", Candidates));
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Answers an offer with a new session (the caller owns it); throws <see cref="SdpException"/> or <see cref="WebRtcCapacityException"/>.</summary>
    /// <param name="client">The signaling client's address, counted against <see cref="WebRtcOptions.MaxSessionsPerAddress"/>.</param>
    public (PeerSession Session, string Answer) Open(SdpOffer offer, IPeerSessionOwner owner, IPAddress? client = null)
    {
        var address = client ?? IPAddress.None;
        if (!_perAddress.TryEnter(address))
        {
            throw new WebRtcCapacityException($"at most {_options.MaxSessionsPerAddress} WebRTC sessions per client address (WebRtc:MaxSessionsPerAddress)");
        }

        try
        {
            var opened = OpenCounted(offer, owner);
            _clientOf[opened.Session] = address;
            return opened;
        }
        catch
        {
            _perAddress.Leave(address);
            throw;
        }
    }

    private (PeerSession Session, string Answer) OpenCounted(SdpOffer offer, IPeerSessionOwner owner)
    {
        if (_certificate is null)
        {
            throw new WebRtcCapacityException("the WebRTC port is not open yet");
        }

        if (_byUfrag.Count >= _options.MaxSessions)
        {
            throw new WebRtcCapacityException($"this hub has its maximum of {_options.MaxSessions} WebRTC sessions");
        }

        var session = new PeerSession(this, offer, _certificate, _options, clock, owner, logger);
        // The answer first: a session is registered (and counted against MaxSessions) only once it can be offered.
        var answer = SdpAnswer.Build(offer, session.LocalUfrag, session.LocalPassword, _certificate.Sha256Fingerprint, Candidates, MaxMessageBytes);
        if (!_byUfrag.TryAdd(session.LocalUfrag, session))
        {
            throw new WebRtcCapacityException("ICE credentials collided with another session's; offer again");
        }

        metrics.Sessions.Add(1);
        return (session, answer);
    }

    /// <summary>Datagrams from <paramref name="remote"/> that are not STUN now belong to <paramref name="session"/>.</summary>
    /// <remarks>
    /// An address another live session holds stays with it: a peer that proved its own credentials
    /// from a spoofed source must not divert a browser's DTLS to its session.
    /// </remarks>
    internal void Route(SocketAddressSnapshot remote, PeerSession session) =>
        _byAddress.AddOrUpdate(remote.Address, session, (_, holder) => holder == session || holder.IsEnded ? session : holder);

    public void Forget(PeerSession session)
    {
        if (_byUfrag.TryRemove(new KeyValuePair<string, PeerSession>(session.LocalUfrag, session)))
        {
            metrics.Sessions.Add(-1);
        }

        if (_clientOf.TryRemove(session, out var client))
        {
            _perAddress.Leave(client);
        }

        foreach (var (address, owner) in _byAddress)
        {
            if (owner == session)
            {
                _byAddress.TryRemove(new KeyValuePair<SocketAddress, PeerSession>(address, owner));
            }
        }
    }

    internal void Send(ReadOnlySpan<byte> datagram, SocketAddressSnapshot remote)
    {
        try
        {
            _socket?.SendTo(datagram, SocketFlags.None, remote.Address);
            metrics.DatagramsSent.Add(1);
        }
        catch (SocketException e)
        {
            // ICMP unreachable from an earlier send, a full buffer: UDP is lossy anyway, and the layers above retransmit.
            LogSendFailed(logger, remote.ToString(), e.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweep = SweepExpiredAsync(stoppingToken);
        var socket = _socket!;
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagramBytes, pinned: true);
        var response = new byte[MaxDatagramBytes];
        var from = new SocketAddress(socket.AddressFamily);
        while (!stoppingToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                // Linux reports an earlier send's ICMP error on the next receive: nothing to do with this one.
                continue;
            }

            metrics.DatagramsReceived.Add(1);
            try
            {
                Dispatch(buffer.AsSpan(0, length), from, response);
            }
#pragma warning disable CA1031 // One peer's bad datagram must not stop the port for everyone.
            catch (Exception e)
#pragma warning restore CA1031
            {
                metrics.DatagramsDropped.Add(1, new KeyValuePair<string, object?>("reason", "error"));
                LogDispatchFailed(logger, e);
            }
        }

        await sweep;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var session in _byUfrag.Values)
        {
            session.End("the hub is shutting down");
        }

        await base.StopAsync(cancellationToken);
        _socket?.Dispose();
    }

    public override void Dispose()
    {
        _socket?.Dispose();
        base.Dispose();
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, SocketAddress from, byte[] response)
    {
        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Stun when IceLiteAgent.TryReadLocalUfrag(datagram, out var ufrag) && _byUfrag.TryGetValue(ufrag, out var session):
                var source = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from);
                var written = session.HandleStun(datagram, source, response);
                if (written > 0 && session.Remote is { } remote && remote.EndPoint.Equals(source))
                {
                    Send(response.AsSpan(0, written), remote);
                }
                else if (written > 0)
                {
                    Send(response.AsSpan(0, written), new SocketAddressSnapshot(source));
                }

                break;
            case PacketKind.Dtls when _byAddress.TryGetValue(from, out var session):
                session.HandleDtls(datagram);
                break;
            default:
                metrics.DatagramsDropped.Add(1, new KeyValuePair<string, object?>("reason", "unroutable"));
                break;
        }
    }

    /// <summary>Ends sessions whose browser stopped its consent checks (ICE-lite sends none of its own).</summary>
    private async Task SweepExpiredAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var session in _byUfrag.Values)
                {
                    try
                    {
                        if (session.IsExpired())
                        {
                            session.End("no connectivity check within the consent timeout");
                        }
                    }
#pragma warning disable CA1031 // One session's failure must not stop expiry for all the others.
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        LogDispatchFailed(logger, e);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC data channels on UDP port {Port}; host candidates {Candidates}")]
    private static partial void LogListening(ILogger logger, int port, string candidates);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebRTC send to {Remote} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string remote, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WebRTC datagram could not be handled")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
