using System.Net;
using System.Net.Sockets;

namespace Ticker.TurnRelay.Tests.Support;

/// <summary>A UDP peer on loopback that the relay sends to.</summary>
internal sealed class TestPeer : IDisposable
{
    private readonly Socket _socket;

    public TestPeer(bool ipv6 = false)
    {
        _socket = new Socket(ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public (byte[] Data, IPEndPoint From)? Receive(int timeoutMs = 5000)
    {
        _socket.ReceiveTimeout = timeoutMs;
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            var n = _socket.ReceiveFrom(buffer, ref from);
            return (buffer[..n], (IPEndPoint)from);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    public void SendTo(byte[] data, IPEndPoint target) => _socket.SendTo(data, target);

    public void Dispose() => _socket.Dispose();
}
