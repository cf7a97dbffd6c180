using System.Net;
using Microsoft.Extensions.Logging;
using Ticker.PushHub.WebRtc.DataChannels;
using Ticker.PushHub.WebRtc.Dtls;
using Ticker.PushHub.WebRtc.Ice;
using Ticker.PushHub.WebRtc.Sdp;

namespace Ticker.PushHub.WebRtc;

/// <summary>
/// One browser's WebRTC session: its ICE-lite agent, its DTLS transport and the data channels on
/// top. The sans-IO layers are driven from three places — the shared port (STUN, DTLS datagrams),
/// the DTLS thread (decrypted SCTP packets), the subscriber's writer (quotes to send) — so every
/// call into them holds <see cref="_gate"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "End(reason) is the session's one way out and disposes the DTLS transport on another thread (its Dispose joins the DTLS thread, which may be the caller).")]
public sealed partial class PeerSession : IDtlsHandler
{
    /// <summary>
    /// SCTP packet size that keeps every DTLS datagram within 1200 bytes (the transport's default limit):
    /// 13 bytes of record header and 24 of AES-GCM nonce and tag (ChaCha20-Poly1305 needs less).
    /// </summary>
    /// <summary>
    /// A quote the congestion window has kept in the send queue this long is dropped unsent: it is
    /// stale, the next quote of its symbol (or the hub's repeat after 100 ms) supersedes it, and the
    /// quotes queued after it must not wait for it. See docs/benchmarks.md (issue 16).
    /// </summary>
    internal static readonly TimeSpan QuoteMaxQueueTime = TimeSpan.FromMilliseconds(50);

    private const int MaxSctpPacketBytes = DtlsServerTransport.DefaultMaxDatagramSize - 13 - 24;

    private readonly Lock _gate = new();
    private readonly WebRtcServer _server;
    private readonly IPeerSessionOwner _owner;
    private readonly TimeProvider _clock;
    private readonly long _created;
    private readonly DataChannelConnection _channels;
    private readonly DtlsServerTransport _dtls;
    private readonly ITimer _timer;
    private ushort? _quoteChannel;
    private bool _dtlsStarted;
    private int _ended;

    private readonly ILogger _logger;

    internal PeerSession(WebRtcServer server, SdpOffer offer, DtlsCertificate certificate, WebRtcOptions options, TimeProvider clock, IPeerSessionOwner owner, ILogger logger)
    {
        _server = server;
        _logger = logger;
        _owner = owner;
        _clock = clock;
        _created = clock.GetTimestamp();
        LocalUfrag = IceCredentials.NewUfrag();
        LocalPassword = IceCredentials.NewPassword();
        Offer = offer;
        Ice = new IceLiteAgent(LocalUfrag, LocalPassword, offer.IceUfrag, options.ConsentTimeout, Now);
        _dtls = new DtlsServerTransport(certificate, offer.FingerprintSha256, this, options.HandshakeTimeout);
        _channels = new DataChannelConnection(
            new DataChannelOptions
            {
                Port = offer.SctpPort,
                MaxPacketBytes = MaxSctpPacketBytes,
                RemoteMaxMessageBytes = offer.MaxMessageSize,
                LocalMaxMessageBytes = WebRtcServer.MaxMessageBytes,
            },
            Now);
        _timer = clock.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string LocalUfrag { get; }

    public string LocalPassword { get; }

    public SdpOffer Offer { get; }

    public IceLiteAgent Ice { get; }

    /// <summary>Where the browser is reached: the nominated pair's remote address (a TURN relay's, when relayed).</summary>
    internal SocketAddressSnapshot? Remote { get; private set; }

    public bool ChannelOpen => Volatile.Read(ref _ended) == 0 && _quoteChannel is not null;

    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>Monotonic time since the session was created: the sans-IO layers' clock.</summary>
    private TimeSpan Now => _clock.GetElapsedTime(_created);

    /// <summary>A STUN datagram routed here by its USERNAME; returns the response length (0: none).</summary>
    public int HandleStun(ReadOnlySpan<byte> datagram, IPEndPoint source, Span<byte> response)
    {
        lock (_gate)
        {
            if (IsEnded)
            {
                // Fetched from the routing table just before End: route nothing, start nothing.
                return 0;
            }

            var written = Ice.HandleStun(datagram, source, Now, response);
            if (Ice.SelectedRemote is { } selected && (Remote is null || !Remote.EndPoint.Equals(selected)))
            {
                Remote = new SocketAddressSnapshot(selected);
                _server.Route(Remote, this);
            }

            if (Remote is not null && !_dtlsStarted)
            {
                // The path is proven: now the browser's ClientHello can come, and the handshake clock starts.
                _dtlsStarted = true;
                _dtls.Start();
            }

            return written;
        }
    }

    /// <summary>A DTLS datagram from the browser's address; decrypted records come back on the DTLS thread.</summary>
    public void HandleDtls(ReadOnlySpan<byte> datagram) => _dtls.Enqueue(datagram);

    /// <summary>
    /// Sends one subscriber message on the open channel (unreliable, unordered for the dashboard's
    /// channel); false when no channel is open or its buffer is full, and the caller uses the WebSocket.
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> json)
    {
        lock (_gate)
        {
            if (_quoteChannel is not { } channel || IsEnded)
            {
                return false;
            }

            try
            {
                if (!_channels.Send(channel, json, binary: false, QuoteMaxQueueTime, Now))
                {
                    return false;
                }

                Flush();
                return true;
            }
#pragma warning disable CA1031 // A session that cannot send ends; the subscriber's WebSocket goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                EndLater($"internal error while sending: {e.Message}");
                return false;
            }
        }
    }

    public bool IsExpired()
    {
        lock (_gate)
        {
            return Ice.IsExpired(Now);
        }
    }

    /// <summary>Ends the session once: tells the browser (ABORT), stops DTLS, leaves the shared port.</summary>
    public void End(string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        lock (_gate)
        {
            try
            {
                if (_channels.IsEstablished && !_channels.IsClosed)
                {
                    _channels.Abort(reason, Now);
                    Flush();
                }
            }
#pragma warning disable CA1031 // The ABORT is a courtesy; the session ends either way.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _timer.Dispose();
        _server.Forget(this);
        var c = _channels.Counters;
        LogEnded(_logger, LocalUfrag, Remote?.ToString() ?? "none", reason, _dtls.IsConnected, _channels.IsEstablished,
            c.PacketsReceived, c.PacketsSent, c.MalformedPackets + c.BadChecksums + c.BadVerificationTags + c.MalformedChunks, c.Retransmissions);
        // Dispose joins the DTLS thread, which may be the caller (OnClosed): let another thread do it.
        ThreadPool.UnsafeQueueUserWorkItem(static dtls => dtls.Dispose(), _dtls, preferLocal: false);
        _owner.OnSessionEnded(this, reason);
    }

    void IDtlsHandler.SendDatagram(ReadOnlySpan<byte> datagram)
    {
        if (Remote is { } remote)
        {
            _server.Send(datagram, remote);
        }
    }

    void IDtlsHandler.OnConnected()
    {
        _server.Metrics.DtlsConnected.Add(1);
        if (_dtls.MaxApplicationDataSize < MaxSctpPacketBytes)
        {
            EndLater($"DTLS records carry at most {_dtls.MaxApplicationDataSize} bytes; SCTP packets need {MaxSctpPacketBytes}");
        }
    }

    void IDtlsHandler.OnApplicationData(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            _channels.HandlePacket(data, Now);
            Pump();
        }
    }

    void IDtlsHandler.OnClosed(string reason) => End($"DTLS: {reason}");

    private void OnTimer()
    {
        lock (_gate)
        {
            if (IsEnded)
            {
                return;
            }

            try
            {
                _channels.HandleTimeout(Now);
                Pump();
            }
#pragma warning disable CA1031 // An exception escaping a timer callback would end the process.
            catch (Exception e)
#pragma warning restore CA1031
            {
                EndLater($"internal error in a timer: {e.Message}");
            }
        }
    }

    /// <summary>Ends the session from a thread of its own: callers may hold locks End takes, or be the DTLS thread.</summary>
    private void EndLater(string reason) =>
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Session.End(s.Reason), (Session: this, Reason: reason), preferLocal: false);

    /// <summary>Acts on what the data channels report, sends what they produced, re-arms their timer.</summary>
    private void Pump()
    {
        string? ended = null;
        while (_channels.TryPollEvent(out var e))
        {
            switch (e)
            {
                case DataChannelEvent.ChannelOpened opened:
                    // The newest channel the browser opens carries its updates.
                    _quoteChannel = opened.Id;
                    _server.Metrics.SetupTime.Record(Now.TotalMilliseconds);
                    _owner.OnChannelOpen(this, opened.Label);
                    break;
                case DataChannelEvent.ChannelClosed closed when closed.Id == _quoteChannel:
                    _quoteChannel = null;
                    _owner.OnChannelClosed(this);
                    break;
                case DataChannelEvent.MessageReceived:
                    // Subscribers speak on the WebSocket; anything sent here is counted and ignored.
                    _server.Metrics.MessagesIgnored.Add(1);
                    break;
                case DataChannelEvent.Closed closed:
                    ended = $"SCTP: {closed.Reason}";
                    break;
            }
        }

        Flush();
        if (ended is not null)
        {
            EndLater(ended);
        }
    }

    private void Flush()
    {
        while (_channels.TryPollTransmit(out var packet))
        {
            _dtls.Send(packet);
        }

        var due = _channels.NextTimeout is { } next ? next - Now : Timeout.InfiniteTimeSpan;
        _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebRTC session {Ufrag} ({Remote}) ended: {Reason}; DTLS up {Dtls}, SCTP up {Sctp}, SCTP packets in {In} out {Out}, dropped {Dropped}, retransmitted {Retransmitted}")]
    private static partial void LogEnded(ILogger logger, string ufrag, string remote, string reason, bool dtls, bool sctp, long @in, long @out, long dropped, long retransmitted);
}
