using System.Net;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>A listener socket (UDP) or a connection (TCP/TLS) that requests arrive on.</summary>
internal interface IRequestSource
{
    TransportKind Kind { get; }

    /// <summary>The server's address for this transport: the relay family default and the 5-tuple's server half.</summary>
    StunTransportAddress LocalAddress { get; }

    void Respond(ReadOnlySpan<byte> message, SocketAddress? udpRemote);

    /// <summary>Creates the client side of a new allocation.</summary>
    ClientConnection CreateConnection(SocketAddress? udpRemote);

    /// <summary>Registers the allocation so the client's later messages find it.</summary>
    void Register(Allocation allocation);
}
