using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// A UDP listening socket. Demultiplexes by the first two bits (RFC 8656 §12): 0b00 STUN,
/// 0b01 ChannelData; anything else is dropped.
/// </summary>
internal sealed class UdpListener : IRequestSource, IDisposable
{
    private const int BufferLength = 65536;
    private readonly Socket _socket;
    private readonly TurnServer _server;
    private readonly ConcurrentDictionary<StunTransportAddress, Allocation> _allocations = new();

    public UdpListener(TurnServer server, IPEndPoint endPoint)
    {
        _server = server;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = false;
        }
        try
        {
            _socket.ReceiveBufferSize = 4 << 20;
            _socket.SendBufferSize = 4 << 20;
            _socket.Bind(endPoint);
        }
        catch (SocketException)
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        LocalAddress = StunTransportAddress.FromEndPoint(LocalEndPoint);
    }

    public TransportKind Kind => TransportKind.Udp;

    public IPEndPoint LocalEndPoint { get; }

    public StunTransportAddress LocalAddress { get; }

    /// <summary>
    /// Runs <paramref name="loops"/> dedicated receive threads. A blocking recvfrom per datagram costs
    /// less CPU than the async engine's epoll wake-up plus a second recvfrom that finds nothing
    /// (docs/benchmarks.md, section TURN relay); disposing the socket ends the threads.
    /// </summary>
    public Task RunAsync(int loops, CancellationToken cancellationToken)
    {
        var threads = Enumerable.Range(0, loops).Select(i =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    ReceiveLoop(cancellationToken);
                }
                finally
                {
                    done.SetResult();
                }
            })
            {
                IsBackground = true,
                Name = $"turn-udp-{LocalEndPoint.Port}-{i}",
            };
            thread.Start();
            return done.Task;
        }).ToList();
        return Task.WhenAll(threads);
    }

    private void ReceiveLoop(CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(BufferLength, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.Shutdown or SocketError.NotSocket)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            try
            {
                Process(buffer.AsSpan(0, received), from);
            }
#pragma warning disable CA1031 // One hostile datagram must never stop the listener.
            catch (Exception e)
#pragma warning restore CA1031
            {
                TurnRelayLog.HandlerFailed(_server.Logger, e, SocketAddressCodec.Read(from).ToString());
            }
        }
    }

    internal void Process(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (datagram.Length == 0)
        {
            return;
        }
        var client = SocketAddressCodec.Read(from);
        _allocations.TryGetValue(client, out var allocation);
        if ((datagram[0] & 0xC0) == 0x40)
        {
            if (allocation is not null && ChannelDataFrame.TryRead(datagram, out var channel, out var payload))
            {
                allocation.RelayChannelData(channel, payload, _server.Clock.NowMs);
            }
            return;
        }
        _server.HandleStun(datagram, this, from, client, allocation);
    }

    public void Respond(ReadOnlySpan<byte> message, SocketAddress? udpRemote) => SendTo(message, udpRemote!);

    public void SendTo(ReadOnlySpan<byte> message, SocketAddress remote)
    {
        try
        {
            _socket.SendTo(message, SocketFlags.None, remote);
        }
        catch (SocketException)
        {
            _server.Metrics.Dropped();
        }
        catch (ObjectDisposedException)
        {
            _server.Metrics.Dropped();
        }
    }

    public ClientConnection CreateConnection(SocketAddress? udpRemote) =>
        new UdpClientConnection(this, SocketAddressCodec.Copy(udpRemote!));

    public void Register(Allocation allocation) => _allocations[allocation.Client.Remote] = allocation;

    public void Remove(Allocation allocation) =>
        _allocations.TryRemove(new KeyValuePair<StunTransportAddress, Allocation>(allocation.Client.Remote, allocation));

    public void Dispose() => _socket.Dispose();
}
