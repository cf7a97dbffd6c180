using System.Collections.Concurrent;
using Ticker.PushHub.WebRtc.Dtls;

namespace Ticker.WebRtc.Tests.Dtls;

/// <summary>Records what the server transport reports and forwards its datagrams to the client's link.</summary>
internal sealed class RecordingHandler : IDtlsHandler
{
    private int _maxDatagramSize;
    private int _closedCount;

    public Action<ReadOnlySpan<byte>>? Forward { get; set; }

    public int MaxDatagramSize => Volatile.Read(ref _maxDatagramSize);

    public int ClosedCount => Volatile.Read(ref _closedCount);

    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<string> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BlockingCollection<byte[]> Received { get; } = [];

    public void SendDatagram(ReadOnlySpan<byte> datagram)
    {
        var size = datagram.Length;
        int seen;
        while (size > (seen = Volatile.Read(ref _maxDatagramSize)) && Interlocked.CompareExchange(ref _maxDatagramSize, size, seen) != seen)
        {
        }
        Forward?.Invoke(datagram);
    }

    public void OnConnected() => Connected.TrySetResult();

    public bool ThrowOnData { get; set; }

    public void OnApplicationData(ReadOnlySpan<byte> data)
    {
        if (ThrowOnData)
        {
            throw new InvalidOperationException("handler bug");
        }

        Received.Add(data.ToArray());
    }

    public void OnClosed(string reason)
    {
        Interlocked.Increment(ref _closedCount);
        Closed.TrySetResult(reason);
    }

    /// <summary>The next record the server decrypted; the wait only guards against a hung test.</summary>
    public byte[] NextReceived()
    {
        Assert.True(Received.TryTake(out var data, DtlsTestPair.Patience), "no application data reached the handler");
        return data;
    }
}
