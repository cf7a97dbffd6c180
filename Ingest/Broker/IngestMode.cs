using Microsoft.Extensions.Configuration;

namespace Ticker.Ingest.Broker;

/// <summary>
/// The role of a hub process (<c>Ingest:Mode</c>): <c>hub</c> reads the write-ahead log and serves
/// subscribers (direct mode, the default); <c>publisher</c> reads it only while elected and
/// publishes to NATS JetStream, serving no subscribers; <c>edge</c> serves subscribers from the
/// stream and holds no replication slot.
/// </summary>
public static class IngestMode
{
    public const string Hub = "hub";
    public const string Publisher = "publisher";
    public const string Edge = "edge";

    /// <summary>The mode as configured; registration reads it before options are bound (which services exist depends on it).</summary>
    public static string Read(IConfiguration configuration) => configuration["Ingest:Mode"] is { Length: > 0 } mode ? mode : Hub;
}
