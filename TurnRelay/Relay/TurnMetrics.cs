using System.Diagnostics.Metrics;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// Counters of the meter "Ticker.TurnRelay". The hot path bumps plain fields with Interlocked;
/// observable instruments read them only when a listener collects.
/// </summary>
internal sealed class TurnMetrics : IDisposable
{
    public const string MeterName = "Ticker.TurnRelay";
    private readonly Meter _meter = new(MeterName);
    private long _allocationsCreated;
    private long _allocationsActive;
    private long _bytesRelayed;
    private long _datagramsRelayed;
    private long _authFailures;
    private long _datagramsDropped;

    public TurnMetrics()
    {
        _meter.CreateObservableCounter("turn.allocations.created", () => Volatile.Read(ref _allocationsCreated), "{allocation}", "Allocations created");
        _meter.CreateObservableUpDownCounter("turn.allocations.active", () => Volatile.Read(ref _allocationsActive), "{allocation}", "Allocations alive");
        _meter.CreateObservableCounter("turn.relayed.bytes", () => Volatile.Read(ref _bytesRelayed), "By", "Application bytes relayed, both directions");
        _meter.CreateObservableCounter("turn.relayed.datagrams", () => Volatile.Read(ref _datagramsRelayed), "{datagram}", "Datagrams relayed, both directions");
        _meter.CreateObservableCounter("turn.auth.failures", () => Volatile.Read(ref _authFailures), "{request}", "Requests refused for credentials or nonce");
        _meter.CreateObservableCounter("turn.datagrams.dropped", () => Volatile.Read(ref _datagramsDropped), "{datagram}", "Datagrams dropped (no permission, bandwidth)");
    }

    /// <summary>This server's meter: several servers in one process each have a meter of the same name.</summary>
    internal Meter Meter => _meter;

    public long AllocationsCreated => Volatile.Read(ref _allocationsCreated);

    public long AllocationsActive => Volatile.Read(ref _allocationsActive);

    public long BytesRelayed => Volatile.Read(ref _bytesRelayed);

    public long DatagramsRelayed => Volatile.Read(ref _datagramsRelayed);

    public long AuthFailures => Volatile.Read(ref _authFailures);

    public long DatagramsDropped => Volatile.Read(ref _datagramsDropped);

    public void AllocationCreated()
    {
        Interlocked.Increment(ref _allocationsCreated);
        Interlocked.Increment(ref _allocationsActive);
    }

    public void AllocationDeleted() => Interlocked.Decrement(ref _allocationsActive);

    public void Relayed(int bytes)
    {
        Interlocked.Increment(ref _datagramsRelayed);
        Interlocked.Add(ref _bytesRelayed, bytes);
    }

    public void AuthFailed() => Interlocked.Increment(ref _authFailures);

    public void Dropped() => Interlocked.Increment(ref _datagramsDropped);

    public void Dispose() => _meter.Dispose();
}
