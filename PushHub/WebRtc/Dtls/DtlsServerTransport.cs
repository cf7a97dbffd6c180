using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>
/// DTLS 1.2 server side of one peer (RFC 6347, RFC 8827 fingerprints) on BouncyCastle. BouncyCastle's
/// API blocks, so each transport runs the handshake and then its receive loop on a thread of its own,
/// fed by <see cref="Enqueue"/>; <see cref="Send"/> may be called from any thread.
/// </summary>
/// <remarks>
/// Thread safety: BouncyCastle's <c>DtlsTransport.Send</c> takes its own write lock only around record
/// encoding, while the receive thread may re-send the final handshake flight (RFC 6347 §4.2.4) by switching
/// the record layer's write epoch outside that lock; an application record sent in that window would go out
/// as a handshake record. So all BouncyCastle calls run under one gate, which the receive thread releases
/// only while it waits for a datagram (see <see cref="DatagramQueueTransport.Receive"/>).
/// </remarks>
public sealed partial class DtlsServerTransport : IDisposable
{
    /// <summary>
    /// Largest datagram the server sends (webrtc-notes: keep it ≤ 1200). Leaves 1163 bytes of AES-GCM record
    /// plaintext (13 header + 8 explicit nonce + 16 tag, RFC 6347 §4.1 and RFC 5288 §3).
    /// </summary>
    public const int DefaultMaxDatagramSize = 1200;

    /// <summary>How long <see cref="Dispose"/> waits for the thread (it may be inside a handler callback).</summary>
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Shared: BouncyCastle's crypto provider is stateless apart from its thread-safe SecureRandom.</summary>
    private static readonly BcTlsCrypto Crypto = new(new SecureRandom());

    private readonly object _gate = new();
    private readonly IDtlsHandler _handler;
    private readonly DatagramQueueTransport _datagrams;
    private readonly WebRtcDtlsServer _server;
    private readonly int _handshakeTimeoutMillis;
    private Thread? _thread;
    private DtlsTransport? _dtls; // under _gate
    private volatile bool _connected;
    private volatile int _maxApplicationDataSize;
    private string? _closeReason;
    private int _started;
    private int _disposed;
    private int _closedReported;

    /// <param name="remoteSha256Fingerprint">The offer's <c>a=fingerprint:sha-256</c> value, either case.</param>
    /// <exception cref="ArgumentException">The fingerprint is not 32 colon-separated hex pairs.</exception>
    public DtlsServerTransport(DtlsCertificate certificate, string remoteSha256Fingerprint, IDtlsHandler handler, TimeSpan handshakeTimeout)
        : this(certificate, remoteSha256Fingerprint, handler, handshakeTimeout, DefaultMaxDatagramSize)
    {
    }

    /// <param name="maxDatagramSize">
    /// Largest datagram sent. 1228 would let a 1191-byte SCTP packet (the 1280-byte IPv6 budget of
    /// webrtc-notes) ride in one AES-GCM record; the default keeps every datagram within 1200.
    /// </param>
    public DtlsServerTransport(
        DtlsCertificate certificate, string remoteSha256Fingerprint, IDtlsHandler handler, TimeSpan handshakeTimeout, int maxDatagramSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, 256);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDatagramSize, DatagramQueueTransport.ReceiveLimit);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(handshakeTimeout, TimeSpan.Zero);
        if (!Sha256Fingerprint.TryParse(remoteSha256Fingerprint, out var remoteFingerprint))
        {
            throw new ArgumentException("Expected 32 colon-separated hex pairs.", nameof(remoteSha256Fingerprint));
        }

        _handler = handler;
        // BouncyCastle reads a zero handshake timeout as "none"; keep a tiny positive one positive.
        _handshakeTimeoutMillis = (int)Math.Clamp(Math.Ceiling(handshakeTimeout.TotalMilliseconds), 1, int.MaxValue);
        _datagrams = new DatagramQueueTransport(handler.SendDatagram, _gate, maxDatagramSize);
        _server = new WebRtcDtlsServer(Crypto, certificate, remoteFingerprint, _handshakeTimeoutMillis);
    }

    public bool IsConnected => _connected;

    /// <summary>
    /// Largest <see cref="Send"/> payload: what fits one record in the largest datagram (1163 for AES-GCM in
    /// 1200 bytes, 1171 for ChaCha20-Poly1305); 0 until connected. The SCTP layer sizes its packets by this.
    /// </summary>
    public int MaxApplicationDataSize => _maxApplicationDataSize;

    /// <summary>The negotiated IANA cipher suite (0xC02B for Chromium); 0 until connected.</summary>
    public int NegotiatedCipherSuite => _server.NegotiatedCipherSuite;

    /// <summary>Datagrams refused by <see cref="Enqueue"/>: queue full, oversize, or after close.</summary>
    public long DroppedDatagrams => _datagrams.DroppedDatagrams;

    /// <summary>Starts the handshake thread (the peer is the DTLS client and sends first).</summary>
    /// <exception cref="InvalidOperationException">Already started, or disposed.</exception>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The DTLS transport was already started or disposed.");
        }
        // Small stack: 500 sessions mean 500 threads; BouncyCastle's handshake needs far less than the 8 MiB default.
        _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "DTLS server" };
        _thread.Start();
    }

    /// <summary>A datagram from the peer whose first byte is 20–63 (RFC 7983). Copied; never blocks.</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram) => _datagrams.TryEnqueue(datagram);

    /// <summary>Encrypts and sends one record; false when not connected (or closed).</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> is larger than <see cref="MaxApplicationDataSize"/>.</exception>
    public bool Send(ReadOnlySpan<byte> data)
    {
        if (!_connected)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_connected || _dtls is null)
            {
                return false;
            }

            if (data.Length > _maxApplicationDataSize)
            {
                throw new ArgumentException($"A record carries at most {_maxApplicationDataSize} bytes.", nameof(data));
            }

            try
            {
                _dtls.Send(data);
                return true;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // BouncyCastle has already failed the record layer; the thread reports the reason.
                SetCloseReason("send failed: " + e.Message);
                _connected = false;
                _datagrams.Close();
                return false;
            }
        }
    }

    /// <summary>Sends close_notify (when connected) and stops the thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        SetCloseReason("disposed");
        lock (_gate)
        {
            _connected = false;
            CloseQuietly(_dtls); // RFC 5246 §7.2.1: close_notify before closing the write side
        }
        _datagrams.Close();

        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            ReportClosed("disposed before start");
            return;
        }
        var thread = _thread;
        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join(JoinTimeout);
        }
    }

    private void SetCloseReason(string reason) => Interlocked.CompareExchange(ref _closeReason, reason, null);

    private void ReportClosed(string reason)
    {
        if (Interlocked.Exchange(ref _closedReported, 1) != 0)
        {
            return;
        }

        try
        {
            _handler.OnClosed(reason);
        }
#pragma warning disable CA1031 // An exception escaping a thread ends the process; the session is over anyway.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static void CloseQuietly(DtlsTransport? dtls)
    {
        try
        {
            dtls?.Close();
        }
        catch (IOException)
        {
            // The peer is unreachable or the record layer already failed: nothing left to tell it.
        }
    }
}
