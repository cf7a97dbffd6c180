using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using static Ticker.TurnRelay.Relay.EpollNativeMethods;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// One thread waiting on every relay socket with a level-triggered epoll set, reading one datagram
/// per readiness, as coturn's event loop does: one epoll_wait (shared by all ready sockets) and one
/// recvfrom per peer datagram, where the async socket engine adds a recvfrom that finds nothing
/// and per-operation bookkeeping. Linux x86-64 only; elsewhere allocations use async receive loops.
/// (The UDP listening sockets keep their own blocking receive threads: putting them on this loop
/// too measured slower, one more epoll_wait per client datagram.)
/// </summary>
internal sealed class RelayPoller : IDisposable
{
    private const int MaxEvents = 256;
    private int _disposed;
    private readonly int _epoll;
    private readonly ConcurrentDictionary<int, IPollable> _allocations = new();
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stopping = new();
    private int _nextId;

    private readonly ILogger _logger;

    private RelayPoller(int epoll, ILogger logger)
    {
        _epoll = epoll;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "turn-relay-poller" };
        _thread.Start();
    }

    public static RelayPoller? TryCreate(ILogger logger)
    {
        if (!IsSupported)
        {
            return null;
        }
        var epoll = EpollCreate1(EpollCloExec);
        return epoll < 0 ? null : new RelayPoller(epoll, logger);
    }

    public bool Add(IPollable item)
    {
        var id = Interlocked.Increment(ref _nextId);
        item.PollId = id;
        _allocations[id] = item;
        item.Socket.Blocking = false;
        var ev = new EpollEvent { Events = EpollIn, Data = (ulong)id };
        if (EpollCtl(_epoll, EpollCtlAdd, (int)item.Socket.SafeHandle.DangerousGetHandle(), ref ev) != 0)
        {
            _allocations.TryRemove(id, out _);
            item.Socket.Blocking = true;
            return false;
        }
        return true;
    }

    /// <summary>Called before the socket is closed.</summary>
    public void Remove(IPollable item)
    {
        if (!_allocations.TryRemove(item.PollId, out _))
        {
            return;
        }
        var ev = default(EpollEvent);
        try
        {
            EpollCtl(_epoll, EpollCtlDel, (int)item.Socket.SafeHandle.DangerousGetHandle(), ref ev);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Run()
    {
        var events = new EpollEvent[MaxEvents];
        var buffer = GC.AllocateUninitializedArray<byte>(Allocation.Headroom + Allocation.MaxDatagram + 4, pinned: true);
        var from4 = new SocketAddress(AddressFamily.InterNetwork);
        var from6 = new SocketAddress(AddressFamily.InterNetworkV6);
        while (!_stopping.IsCancellationRequested)
        {
            var ready = EpollWait(_epoll, events, MaxEvents, 250);
            for (var i = 0; i < ready; i++)
            {
                if (_allocations.TryGetValue((int)events[i].Data, out var item))
                {
                    try
                    {
                        item.ReceiveOnce(buffer, item.Socket.AddressFamily == AddressFamily.InterNetwork ? from4 : from6);
                    }
#pragma warning disable CA1031 // One bad datagram must never stop the loop.
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        _logger.LogDebug(e, "poller: handler failed");
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        // A host may stop the relay twice (StopAsync, then disposal): the second time is a no-op.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _thread.Join(TimeSpan.FromSeconds(2));
        Close(_epoll);
        _stopping.Dispose();
    }
}
