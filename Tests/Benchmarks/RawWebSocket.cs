using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ticker.Benchmarks;

/// <summary>
/// A hostile client's WebSocket: a raw socket with a tiny receive buffer, an upgrade written by hand,
/// masked text frames sent, and nothing ever read after the upgrade.
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };

    public static async Task<RawWebSocket> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var client = new RawWebSocket();
        try
        {
            await client._socket.ConnectAsync("127.0.0.1", port, cancellationToken);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            await client._socket.SendAsync(Encoding.ASCII.GetBytes(
                $"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"),
                cancellationToken);
            var head = new List<byte>();
            var one = new byte[1];
            while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
            {
                if (await client._socket.ReceiveAsync(one, cancellationToken) == 0)
                {
                    throw new SocketException((int)SocketError.ConnectionReset);
                }

                head.Add(one[0]);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>One masked text frame (RFC 6455 section 5.2); false once the hub has ended the connection or stopped taking data.</summary>
    public async Task<bool> TrySendAsync(string text, CancellationToken cancellationToken)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[2 + (payload.Length < 126 ? 0 : 2) + 4 + payload.Length];
        frame[0] = 0x81;
        var at = 2;
        if (payload.Length < 126)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
            at = 4;
        }

        RandomNumberGenerator.Fill(frame.AsSpan(at, 4));
        for (var i = 0; i < payload.Length; i++)
        {
            frame[at + 4 + i] = (byte)(payload[i] ^ frame[at + (i % 4)]);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await _socket.SendAsync(frame, SocketFlags.None, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
