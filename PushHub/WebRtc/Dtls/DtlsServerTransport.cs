namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>
/// DTLS 1.2 server side of one peer (RFC 6347, RFC 8827 fingerprints) on BouncyCastle. BouncyCastle's
/// API blocks, so each transport runs the handshake and then its receive loop on a thread of its own,
/// fed by <see cref="Enqueue"/>; <see cref="Send"/> may be called from any thread.
/// </summary>
public sealed class DtlsServerTransport : IDisposable
{
    public DtlsServerTransport(DtlsCertificate certificate, string remoteSha256Fingerprint, IDtlsHandler handler, TimeSpan handshakeTimeout)
        => throw new NotImplementedException();

    public bool IsConnected => throw new NotImplementedException();

    /// <summary>Starts the handshake thread (the peer is the DTLS client and sends first).</summary>
    public void Start() => throw new NotImplementedException();

    /// <summary>A datagram from the peer whose first byte is 20–63 (RFC 7983). Copied; never blocks.</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram) => throw new NotImplementedException();

    /// <summary>Encrypts and sends one record; false when not connected (or closed).</summary>
    public bool Send(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Sends close_notify (when connected) and stops the thread.</summary>
    public void Dispose() => throw new NotImplementedException();
}
