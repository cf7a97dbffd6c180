using System.Net;
using System.Net.Sockets;

namespace Ticker.PushHub.WebRtc;

/// <summary>
/// A peer address in both forms the shared port needs: <see cref="SocketAddress"/> to send and to
/// route received datagrams without allocating, <see cref="IPEndPoint"/> for everything else.
/// </summary>
internal sealed class SocketAddressSnapshot(IPEndPoint endPoint)
{
    public IPEndPoint EndPoint { get; } = endPoint;

    public SocketAddress Address { get; } = endPoint.Serialize();

    public override string ToString() => EndPoint.ToString();
}
