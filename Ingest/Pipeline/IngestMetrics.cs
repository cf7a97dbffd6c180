using System.Diagnostics.Metrics;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// The pipeline's instruments, on the <c>Ticker.Ingest</c> meter: ticks in, replication lag
/// (bytes and milliseconds), commit-to-delta latency, symbols tracked, slot lag, reconnects.
/// </summary>
public sealed class IngestMetrics : IDisposable
{
    public const string MeterName = "Ticker.Ingest";

    private readonly Meter _meter;
    private long _lagBytes;
    private double _lagMilliseconds;
    private long _slotLagBytes;

    public IngestMetrics(IMeterFactory meterFactory, TimeProvider clock)
    {
        Clock = clock;
        _meter = meterFactory.Create(MeterName);
        Ticks = _meter.CreateCounter<long>("ticker.ingest.ticks", "{tick}", "Ticks handed to the pipeline");
        RejectedRows = _meter.CreateCounter<long>("ticker.ingest.rejected_rows", "{row}", "Rows the source could not read");
        Reconnects = _meter.CreateCounter<long>("ticker.ingest.reconnects", "{reconnect}", "Times the change source reconnected");
        Restarts = _meter.CreateCounter<long>("ticker.ingest.restarts", "{restart}", "Times the pipeline restarted after a failure");
        Latency = _meter.CreateHistogram<double>("ticker.ingest.latency", "ms", "Commit in PostgreSQL to delta emitted");
        _meter.CreateObservableGauge("ticker.ingest.replication_lag_bytes", () => Volatile.Read(ref _lagBytes), "By",
            "WAL the server had sent beyond the last transaction handed on");
        _meter.CreateObservableGauge("ticker.ingest.replication_lag", () => Volatile.Read(ref _lagMilliseconds), "ms",
            "Age of the last transaction handed on, when it was handed on");
        _meter.CreateObservableGauge("ticker.ingest.slot_lag_bytes", () => Volatile.Read(ref _slotLagBytes), "By",
            "WAL the replication slot retains behind the server's current position");
        _meter.CreateObservableGauge("ticker.ingest.symbols", () => SymbolsTracked?.Invoke() ?? 0, "{symbol}", "Symbols with a quote");
    }

    public TimeProvider Clock { get; }
    public Counter<long> Ticks { get; }
    public Counter<long> RejectedRows { get; }
    public Counter<long> Reconnects { get; }
    public Counter<long> Restarts { get; }
    public Histogram<double> Latency { get; }
    public Func<int>? SymbolsTracked { get; set; }

    /// <summary>Whether the change source is connected (readiness).</summary>
    public ChangeStreamStatus Stream { get; } = new();

    /// <summary>Age of the last transaction handed on, when it was handed on (readiness).</summary>
    public TimeSpan ReplicationLag => TimeSpan.FromMilliseconds(Volatile.Read(ref _lagMilliseconds));

    public void ObserveReplication(long lagBytes, DateTimeOffset commitTime)
    {
        Volatile.Write(ref _lagBytes, Math.Max(lagBytes, 0));
        Volatile.Write(ref _lagMilliseconds, Math.Max((Clock.GetUtcNow() - commitTime).TotalMilliseconds, 0));
    }

    public void ObserveSlotLag(long bytes) => Volatile.Write(ref _slotLagBytes, bytes);

    public void Dispose() => _meter.Dispose();
}
