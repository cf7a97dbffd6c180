using Org.BouncyCastle.Tls;

namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>The transport's own thread: handshake, then one decrypted record at a time to the handler.</summary>
public sealed partial class DtlsServerTransport
{
    private void Run()
    {
        var reason = "closed";
        try
        {
            // No DtlsVerifier/HelloVerifyRequest (RFC 6347 §4.2.1): ICE consent has already proved the path,
            // and BouncyCastle's verifier cannot take a ClientHello fragmented over two datagrams (Chromium's).
            var dtls = new DtlsServerProtocol().Accept(_server, _datagrams);
            lock (_gate)
            {
                _dtls = dtls;
                if (Volatile.Read(ref _disposed) != 0)
                {
                    CloseQuietly(dtls);
                    throw new DtlsTransportClosedException();
                }
                _maxApplicationDataSize = dtls.GetSendLimit();
                _connected = true;
            }
            _handler.OnConnected();
            ReceiveLoop(dtls);
        }
#pragma warning disable CA1031 // Nothing may escape a thread (it would end the process); every cause becomes a reason.
        catch (Exception e)
#pragma warning restore CA1031
        {
            reason = Describe(e);
        }
        finally
        {
            _connected = false;
            lock (_gate)
            {
                CloseQuietly(_dtls); // a no-op when BouncyCastle already closed or failed it
            }

            _datagrams.Close();
            ReportClosed(reason);
        }
    }

    private void ReceiveLoop(DtlsTransport dtls)
    {
        var record = new byte[dtls.GetReceiveLimit()];
        while (true)
        {
            int length;
            lock (_gate)
            {
                // 0 waits forever; closing the datagram queue ends the wait with an exception. A record that
                // fails authentication comes back as -1 (IgnoreCorruptDtlsRecords) and is simply skipped.
                length = dtls.Receive(record, 0, record.Length, 0);
            }
            if (length > 0)
            {
                _handler.OnApplicationData(record.AsSpan(0, length));
            }
        }
    }

    private string Describe(Exception e)
    {
        var stage = _server.NegotiatedCipherSuite == 0 ? "handshake failed: " : "";
        return e switch
        {
            DtlsTransportClosedException when _server.CloseNotifyReceived => "peer sent close_notify",
            DtlsTransportClosedException => Volatile.Read(ref _closeReason) ?? "closed",
            TlsTimeoutException => $"handshake timed out after {_handshakeTimeoutMillis} ms",
            TlsFatalAlertReceived received => $"{stage}peer sent fatal alert {AlertDescription.GetText(received.AlertDescription)}",
            TlsFatalAlert when _server.FailureReason is { } failure => stage + failure,
            TlsFatalAlert alert => $"{stage}{AlertDescription.GetText(alert.AlertDescription)}: {alert.Message}",
            _ => $"{stage}{e.GetType().Name}: {e.Message}",
        };
    }
}
