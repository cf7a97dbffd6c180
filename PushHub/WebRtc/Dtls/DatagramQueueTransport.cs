using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's blocking <see cref="DatagramTransport"/> over a bounded in-memory queue: the session's
/// socket loop pushes datagrams with <see cref="TryEnqueue"/>, the transport's own thread waits in
/// <see cref="Receive"/> on a semaphore for exactly the time BouncyCastle asks (no polling).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "Close, not Dispose, ends it: BouncyCastle's thread may still wait on the semaphore, and a SemaphoreSlim whose wait handle is never asked for holds nothing to release.")]
internal sealed class DatagramQueueTransport(Action<ReadOnlySpan<byte>> sendDatagram, object gate, int sendLimit) : DatagramTransport
{
    /// <summary>Larger than any sane peer datagram (Chromium's ClientHello fragments are ~1.2 KB).</summary>
    public const int ReceiveLimit = 1500;

    /// <summary>Datagrams waiting; beyond this a flood is dropped rather than buffered.</summary>
    public const int QueueLimit = 256;

    private readonly ConcurrentQueue<byte[]> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private int _queued;
    private long _dropped;
    private volatile bool _closed;
    private volatile bool _clientHelloSeen;

    public long DroppedDatagrams => Interlocked.Read(ref _dropped);

    /// <summary>Copies the datagram; never blocks. False when dropped (closed, too large or queue full).</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        if (_closed || datagram.Length > ReceiveLimit || !(_clientHelloSeen || StartsWithClientHello(datagram)))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }
        _clientHelloSeen = true;
        if (Interlocked.Increment(ref _queued) > QueueLimit)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return false;
        }
        _queue.Enqueue(datagram.ToArray());
        _available.Release();
        return true;
    }

    /// <summary>
    /// Until the peer's first ClientHello, anything else is dropped: an unauthenticated epoch-0 record with a
    /// high sequence number would otherwise advance BouncyCastle's replay window (RFC 6347 §4.1.2.6) past the
    /// real ClientHello's and stall the handshake. This is the part of a cookie exchange that ICE does not cover.
    /// </summary>
    private static bool StartsWithClientHello(ReadOnlySpan<byte> datagram) =>
        // RFC 6347 §4.1 record header (13 bytes), then §4.2.2 handshake header (12): type 22, epoch 0, client_hello.
        datagram.Length >= 13 + 12 && datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 0 && datagram[13] == 1;

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => sendLimit;

    /// <summary>
    /// Waits up to <paramref name="waitMillis"/> (0 = forever, as BouncyCastle's own receivers read it) and
    /// returns -1 on timeout. While waiting it lets go of <c>gate</c>, the lock that serialises all
    /// BouncyCastle state, so application sends proceed while this thread sleeps.
    /// </summary>
    /// <exception cref="DtlsTransportClosedException">The transport was closed: ends BouncyCastle's loops.</exception>
    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <inheritdoc cref="Receive(byte[], int, int, int)"/>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!_available.Wait(0))
        {
            ThrowIfClosed();
            var holdsGate = Monitor.IsEntered(gate);
            if (holdsGate)
            {
                Monitor.Exit(gate);
            }

            bool signalled;
            try
            {
                signalled = _available.Wait(waitMillis == 0 ? Timeout.Infinite : waitMillis);
            }
            finally
            {
                if (holdsGate)
                {
                    Monitor.Enter(gate);
                }
            }
            if (!signalled)
            {
                return -1;
            }
        }
        ThrowIfClosed();
        if (!_queue.TryDequeue(out var datagram))
        {
            return -1;
        }

        Interlocked.Decrement(ref _queued);
        // TryEnqueue refused anything over ReceiveLimit, the size BouncyCastle gives here.
        var length = Math.Min(buffer.Length, datagram.Length);
        datagram.AsSpan(0, length).CopyTo(buffer);
        return length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!_closed)
        {
            sendDatagram(buffer);
        }
    }

    /// <summary>Called by BouncyCastle after its close_notify or alert, and by the owner to wake the thread.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        // One extra permit wakes the waiting thread, which then sees the flag; later waits see it first.
        _available.Release();
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new DtlsTransportClosedException();
        }
    }
}
