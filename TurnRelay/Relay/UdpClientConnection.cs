using System.Net;
using System.Net.Sockets;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

internal sealed class UdpClientConnection(UdpListener listener, SocketAddress remote) : ClientConnection
{
    private readonly StunTransportAddress _remote = SocketAddressCodec.Read(remote);

    public SocketAddress SocketAddress { get; } = remote;

    public override TransportKind Kind => TransportKind.Udp;

    public override StunTransportAddress Remote => _remote;

    public override void Send(ReadOnlySpan<byte> message) => listener.SendTo(message, SocketAddress);

    public override void Detach(Allocation allocation) => listener.Remove(allocation);
}
