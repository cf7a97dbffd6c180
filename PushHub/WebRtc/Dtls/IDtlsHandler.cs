namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>
/// What a <see cref="DtlsServerTransport"/> reports. <see cref="OnConnected"/>, <see cref="OnApplicationData"/> and
/// <see cref="OnClosed"/> run on the transport's own thread (OnClosed on the caller of Dispose when never started); <see cref="SendDatagram"/> runs on whichever thread
/// sends (that one, or a caller of <see cref="DtlsServerTransport.Send"/>), one call at a time per transport and
/// under its lock, so it must not wait on anything that calls back into the same transport.
/// </summary>
public interface IDtlsHandler
{
    /// <summary>Sends one DTLS datagram to the peer (the session knows the selected address).</summary>
    void SendDatagram(ReadOnlySpan<byte> datagram);

    /// <summary>Handshake done and the peer's certificate matched the fingerprint from its offer.</summary>
    void OnConnected();

    /// <summary>One decrypted application record (an SCTP packet).</summary>
    void OnApplicationData(ReadOnlySpan<byte> data);

    /// <summary>The transport ended: close_notify, fatal alert, handshake failure or timeout. Called once.</summary>
    void OnClosed(string reason);
}
