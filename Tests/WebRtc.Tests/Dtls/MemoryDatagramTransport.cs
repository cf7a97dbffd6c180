using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Ticker.WebRtc.Tests.Dtls;

/// <summary>The client's end of an in-memory datagram link: the server's datagrams arrive through <see cref="Deliver"/>.</summary>
internal sealed class MemoryDatagramTransport(int sendLimit) : DatagramTransport
{
    private readonly BlockingCollection<byte[]> _inbox = [];
    private volatile bool _closed;

    /// <summary>Where the client's datagrams go (the server's Enqueue, possibly through a test's tampering).</summary>
    public Action<byte[]> Outbound { get; set; } = _ => { };

    public List<byte[]> Sent { get; } = [];

    public void Deliver(ReadOnlySpan<byte> datagram)
    {
        if (!_closed)
        {
            _inbox.Add(datagram.ToArray());
        }
    }

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
        {
            throw new IOException("link closed");
        }

        if (!_inbox.TryTake(out var datagram, waitMillis == 0 ? Timeout.Infinite : waitMillis))
        {
            return -1;
        }

        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        var datagram = buffer.ToArray();
        lock (Sent)
        {
            Sent.Add(datagram);
        }

        Outbound(datagram);
    }

    public void Close() => _closed = true;
}
