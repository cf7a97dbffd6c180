using System.Diagnostics.Metrics;

namespace Ticker.PushHub.Push;

/// <summary>Instruments of the push side, on the <c>Ticker.PushHub</c> meter.</summary>
internal sealed class PushMetrics : IDisposable
{
    public const string MeterName = "Ticker.PushHub";

    private readonly Meter _meter;

    public PushMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        Connections = _meter.CreateUpDownCounter<long>("ticker.push.connections", "{connection}", "Open subscriber connections");
        MessagesSent = _meter.CreateCounter<long>("ticker.push.messages_sent", "{message}", "Messages sent to subscribers");
        BytesSent = _meter.CreateCounter<long>("ticker.push.bytes_sent", "By", "Bytes of messages sent to subscribers");
        MergedUpdates = _meter.CreateCounter<long>("ticker.push.merged_updates", "{update}", "Updates folded into a later one for a slow or rate-limited subscriber");
        UpdatesFannedOut = _meter.CreateCounter<long>("ticker.push.updates_offered", "{update}", "Updates offered to subscriber queues");
        Disconnects = _meter.CreateCounter<long>("ticker.push.disconnects", "{connection}", "Connections ended by the hub, by reason");
        Latency = _meter.CreateHistogram<double>("ticker.push.latency", "ms", "Commit in PostgreSQL to the update handed to the socket");
    }

    public UpDownCounter<long> Connections { get; }
    public Counter<long> MessagesSent { get; }
    public Counter<long> BytesSent { get; }
    public Counter<long> MergedUpdates { get; }
    public Counter<long> UpdatesFannedOut { get; }
    public Counter<long> Disconnects { get; }
    public Histogram<double> Latency { get; }

    public void Dispose() => _meter.Dispose();
}
