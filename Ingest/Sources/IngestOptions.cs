using System.ComponentModel.DataAnnotations;
using Ticker.Database.ChangeFeed;

namespace Ticker.Ingest.Sources;

/// <summary>How the pipeline reads changes: configuration section <c>Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>
    /// <c>hub</c> (default: read the write-ahead log, serve subscribers), <c>publisher</c> (read it
    /// while elected, publish to NATS, serve no subscribers) or <c>edge</c> (serve subscribers from NATS).
    /// </summary>
    [RegularExpression("^(hub|publisher|edge)$", ErrorMessage = "Ingest:Mode must be hub, publisher or edge.")]
    public string Mode { get; set; } = Broker.IngestMode.Hub;

    /// <summary>
    /// <c>auto</c> (replication when the server allows it, else notify), or the name of a registered
    /// change source (<see cref="TickSourceRegistration"/>): <c>replication</c>, <c>notify</c>.
    /// Checked against the registered names by <see cref="IngestOptionsValidator"/>.
    /// </summary>
    public string Source { get; set; } = "auto";

    /// <summary>
    /// Empty (the default): a temporary slot per hub, dropped by PostgreSQL with the hub's connection.
    /// Set: a durable slot of that name, which only one hub at a time may use.
    /// </summary>
    [RegularExpression("^[a-z0-9_]{0,63}$", ErrorMessage = "Ingest:SlotName must be empty or 1-63 characters of a-z, 0-9 and _.")]
    public string SlotName { get; set; } = "";

    public string Publication { get; set; } = ReplicationSupport.DefaultPublication;

    /// <summary>Updates kept per symbol for resuming subscribers.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Ingest:ReplayDepth must be between 1 and 1000000.")]
    public int ReplayDepth { get; set; } = 128;

    /// <summary>UTC time of day at which a trading session (open, high, low, volume) starts.</summary>
    public TimeSpan SessionStartUtc { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How far ahead of its commit a tick's time stamp may be and still count as the latest price
    /// (feeds' clocks drift); further ahead, it counts toward the sequence only. Publish refuses such
    /// ticks with the same allowance.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Ingest:MaxFutureSkew must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Slot lag, in bytes of WAL, above which a warning is logged.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "Ingest:SlotLagWarningBytes must be positive.")]
    public long SlotLagWarningBytes { get; set; } = 1L << 30;
}
