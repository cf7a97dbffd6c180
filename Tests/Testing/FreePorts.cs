using System.Net;
using System.Net.Sockets;

namespace Ticker.Testing;

/// <summary>Ports for servers a test starts later (a relay, a hub's UDP port), free when asked for.</summary>
public static class FreePorts
{
    /// <summary>
    /// A port free for both UDP and TCP on every address (a TURN relay listens on both). Picked below
    /// Linux's ephemeral range (32768–60999), so the outgoing connections the test run keeps opening
    /// cannot take it between now and the server's bind, as a port the kernel handed out could.
    /// </summary>
    public static int UdpAndTcp()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Any, port));
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Any, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("no port between 20000 and 32000 is free for both UDP and TCP");
    }
}
