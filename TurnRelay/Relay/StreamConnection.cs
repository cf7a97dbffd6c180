using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// A TCP or TLS client connection (RFC 8656 §3.1). Frames are STUN messages (length from the
/// header) or ChannelData padded to 4 bytes (§12.5). Oversized or unrecognised frames close the
/// connection before anything is buffered. Outgoing data goes through a pipe drained by one
/// writer task, so a slow client never blocks a relay loop; beyond a bound, data is dropped.
/// </summary>
internal sealed class StreamConnection : ClientConnection, IRequestSource
{
    private const int MaxStunLength = 8192;
    private const long MaxPendingBytes = 1 << 20;
    private readonly TurnServer _server;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly TransportKind _kind;
    private readonly StunTransportAddress _remote;
    private readonly Pipe _outgoing = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private readonly Lock _writeLock = new();
    private readonly byte[] _scratch = new byte[ChannelDataFrame.HeaderLength + 65536 + 4];
    private long _pending;
    private bool _closed;

    public StreamConnection(TurnServer server, Socket socket, Stream stream, TransportKind kind, StunTransportAddress local)
    {
        _server = server;
        _socket = socket;
        _stream = stream;
        _kind = kind;
        LocalAddress = local;
        _remote = StunTransportAddress.FromEndPoint((IPEndPoint)socket.RemoteEndPoint!);
    }

    public Allocation? Allocation { get; private set; }

    public override TransportKind Kind => _kind;

    public override StunTransportAddress Remote => _remote;

    public StunTransportAddress LocalAddress { get; }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        idle.CancelAfter(TimeSpan.FromSeconds(_server.Options.UnauthenticatedTcpTimeout));
        var pump = PumpAsync();
        var reason = "closed by client";
        try
        {
            var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16384, minimumReadSize: 2048, leaveOpen: true));
            while (true)
            {
                var token = Allocation is null ? idle.Token : stopping;
                var result = await reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                bool bad;
                while (TryReadFrame(ref buffer, out var frame, out bad))
                {
                    Process(frame);
                }
                if (bad)
                {
                    reason = "bad frame";
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = stopping.IsCancellationRequested ? "shutdown" : "no allocation in time";
        }
        catch (IOException)
        {
            reason = "I/O error";
        }
        catch (SocketException)
        {
            reason = "socket error";
        }
        catch (ObjectDisposedException)
        {
            reason = "disposed";
        }
        finally
        {
            TurnRelayLog.ConnectionClosed(_server.Logger, _remote.ToString(), reason);
            Allocation?.Dispose();
            lock (_writeLock)
            {
                _closed = true;
                _outgoing.Writer.Complete();
            }
            await pump.ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
            _socket.Dispose();
        }
    }

    private static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out bool bad)
    {
        frame = default;
        bad = false;
        if (buffer.Length < 4)
        {
            return false;
        }
        Span<byte> head = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(head);
        int length;
        if ((head[0] & 0xC0) == 0x40)
        {
            ChannelDataFrame.TryGetStreamFrameLength(head, out length);
        }
        else if ((head[0] & 0xC0) == 0 && StunMessageReader.TryGetFrameLength(head, out length) && length <= MaxStunLength)
        {
        }
        else
        {
            bad = true;
            return false;
        }
        if (buffer.Length < length)
        {
            return false;
        }
        frame = buffer.Slice(0, length);
        buffer = buffer.Slice(length);
        return true;
    }

    private void Process(ReadOnlySequence<byte> frame)
    {
        ReadOnlySpan<byte> span;
        if (frame.IsSingleSegment)
        {
            span = frame.FirstSpan;
        }
        else
        {
            frame.CopyTo(_scratch);
            span = _scratch.AsSpan(0, (int)frame.Length);
        }
        try
        {
            if ((span[0] & 0xC0) == 0x40)
            {
                if (Allocation is { } allocation && ChannelDataFrame.TryRead(span, out var channel, out var payload))
                {
                    allocation.RelayChannelData(channel, payload, _server.Clock.NowMs);
                }
                return;
            }
            _server.HandleStun(span, this, null, _remote, Allocation is { IsDisposed: false } a ? a : null);
        }
#pragma warning disable CA1031 // One hostile frame must never take the server down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            TurnRelayLog.HandlerFailed(_server.Logger, e, _remote.ToString());
        }
    }

    public override void Send(ReadOnlySpan<byte> message)
    {
        lock (_writeLock)
        {
            if (_closed || Volatile.Read(ref _pending) > MaxPendingBytes)
            {
                _server.Metrics.Dropped();
                return;
            }
            var writer = _outgoing.Writer;
            message.CopyTo(writer.GetSpan(message.Length));
            writer.Advance(message.Length);
            Interlocked.Add(ref _pending, message.Length);
            // With pauseWriterThreshold 0 the flush completes synchronously.
            _ = writer.FlushAsync().AsTask();
        }
    }

    private async Task PumpAsync()
    {
        var reader = _outgoing.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    await _stream.WriteAsync(segment).ConfigureAwait(false);
                }
                if (!result.Buffer.IsEmpty)
                {
                    await _stream.FlushAsync().ConfigureAwait(false);
                }
                Interlocked.Add(ref _pending, -result.Buffer.Length);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    public void Respond(ReadOnlySpan<byte> message, SocketAddress? udpRemote) => Send(message);

    public ClientConnection CreateConnection(SocketAddress? udpRemote) => this;

    public void Register(Allocation allocation) => Allocation = allocation;

    public override void Detach(Allocation allocation)
    {
        if (ReferenceEquals(Allocation, allocation))
        {
            Allocation = null;
        }
    }
}
