namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>What a <see cref="DtlsServerTransport"/> reports; called on the transport's own thread.</summary>
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
