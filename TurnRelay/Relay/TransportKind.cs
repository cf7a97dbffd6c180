namespace Ticker.TurnRelay.Relay;

internal enum TransportKind
{
    Udp,
    Tcp,
    Tls,
}
