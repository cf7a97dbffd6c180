namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>
/// Thrown out of a closed <see cref="DatagramQueueTransport"/>'s Receive. An <see cref="IOException"/> because
/// that is what BouncyCastle's handshake and record loops let through to the caller.
/// </summary>
internal sealed class DtlsTransportClosedException : IOException
{
    public DtlsTransportClosedException()
        : base("DTLS transport closed")
    {
    }
}
