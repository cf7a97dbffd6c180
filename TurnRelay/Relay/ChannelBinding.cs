using System.Net;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

internal sealed class ChannelBinding(ushort number, StunTransportAddress peer)
{
    public ushort Number { get; } = number;

    public StunTransportAddress Peer { get; } = peer;

    public SocketAddress PeerSocketAddress { get; } = SocketAddressCodec.Create(peer);

    public long ExpiresAtMs { get; set; }
}
