using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ticker.PushHub.Tests;

/// <summary>
/// A hostile WebSocket client on a raw socket: a tiny receive buffer, frames written by hand, and
/// nothing read until the test says so — what a client with a zero receive window looks like to the hub.
/// </summary>
internal sealed class RawWsClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<byte> _unread = [];

    public static async Task<RawWsClient> ConnectAsync(Uri ws)
    {
        var client = new RawWsClient();
        client._socket.ReceiveBufferSize = 1024; // before connect, so the window is small from the start
        await client._socket.ConnectAsync(ws.Host, ws.Port);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await client._socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET {ws.PathAndQuery} HTTP/1.1\r\nHost: {ws.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var head = await client.ReadUntilAsync("\r\n\r\n"u8.ToArray());
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"no upgrade: {head}");
        }

        return client;
    }

    /// <summary>One masked text frame (RFC 6455 section 5.2); false once the hub has closed or reset the connection.</summary>
    public async Task<bool> TrySendTextAsync(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new List<byte> { 0x81 };
        if (payload.Length < 126)
        {
            frame.Add((byte)(0x80 | payload.Length));
        }
        else
        {
            frame.Add(0x80 | 126);
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)payload.Length);
            frame.AddRange(length);
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        frame.AddRange(mask);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.SendAsync(frame.ToArray(), SocketFlags.None, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads frames until the hub's close frame: its status and reason; null when the connection
    /// ended (reset or end of stream) without one.
    /// </summary>
    public async Task<(int Status, string Reason)?> ReadUntilCloseAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            while (true)
            {
                var header = await ReadExactlyAsync(2, timeout.Token);
                long length = header[1] & 0x7F;
                if (length == 126)
                {
                    length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2, timeout.Token));
                }
                else if (length == 127)
                {
                    length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8, timeout.Token));
                }

                var payload = await ReadExactlyAsync((int)length, timeout.Token);
                if ((header[0] & 0x0F) == 0x8)
                {
                    return payload.Length < 2 ? (1005, "") : (BinaryPrimitives.ReadUInt16BigEndian(payload), Encoding.UTF8.GetString(payload, 2, payload.Length - 2));
                }
            }
        }
        catch (Exception e) when (e is SocketException or EndOfStreamException)
        {
            return null;
        }
    }

    private async Task<string> ReadUntilAsync(byte[] end)
    {
        var buffer = new byte[1];
        var read = new List<byte>();
        while (read.Count < end.Length || !read.TakeLast(end.Length).SequenceEqual(end))
        {
            if (await _socket.ReceiveAsync(buffer) == 0)
            {
                throw new EndOfStreamException();
            }

            read.Add(buffer[0]);
        }

        return Encoding.ASCII.GetString(read.ToArray());
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Max(count, 64 * 1024)];
        while (_unread.Count < count)
        {
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            _unread.AddRange(buffer.AsSpan(0, n));
        }

        var taken = _unread.GetRange(0, count).ToArray();
        _unread.RemoveRange(0, count);
        return taken;
    }

    public void Dispose() => _socket.Dispose();
}
