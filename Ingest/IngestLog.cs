using Microsoft.Extensions.Logging;

namespace Ticker.Ingest;

/// <summary>Every log line of the Ingest project; event ids 200–299 (feeds 200–219, pipeline 220–259).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Simulated feed: {Symbols} symbols at {TicksPerSecond} ticks/s, seed {Seed}")]
    public static partial void FeedStarted(ILogger logger, int symbols, int ticksPerSecond, int seed);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "Simulated feed is {Due} ticks behind; skipping ahead instead of flooding the database")]
    public static partial void FeedBehind(ILogger logger, long due);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Simulated feed could not write; retrying in {Delay}")]
    public static partial void FeedWriteFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 220, Level = LogLevel.Information,
        Message = "Pipeline started: source {Source}, {Symbols} symbols loaded at snapshot {Snapshot}")]
    public static partial void PipelineStarted(ILogger logger, string source, int symbols, long snapshot);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning,
        Message = "Change source {Unavailable} is not available ({Reason}); reading changes through {Source} instead (Ingest:Source={Source})")]
    public static partial void FallingBack(ILogger logger, string unavailable, string reason, string source);

    [LoggerMessage(EventId = 222, Level = LogLevel.Information, Message = "Created replication slot {Slot}")]
    public static partial void SlotCreated(ILogger logger, string slot);

    [LoggerMessage(EventId = 223, Level = LogLevel.Information, Message = "Resuming from replication slot {Slot}")]
    public static partial void SlotReused(ILogger logger, string slot);

    [LoggerMessage(EventId = 224, Level = LogLevel.Warning, Message = "Change source {Source} lost its connection; reconnecting in {Delay}")]
    public static partial void SourceLost(ILogger logger, Exception exception, string source, TimeSpan delay);

    [LoggerMessage(EventId = 225, Level = LogLevel.Error, Message = "A row of transaction {Xid} could not be read and was not delivered: {Reason}")]
    public static partial void RowRejected(ILogger logger, long xid, string reason);

    [LoggerMessage(EventId = 226, Level = LogLevel.Warning,
        Message = "Replication slot {Slot} retains {Bytes} bytes of WAL (status {WalStatus}): the hub is falling behind")]
    public static partial void SlotLagging(ILogger logger, string slot, long bytes, string walStatus);

    [LoggerMessage(EventId = 227, Level = LogLevel.Critical,
        Message = "Replication slot {Slot} has lost WAL it needed (status lost): ticks were removed before this hub read them. Drop the slot to start afresh; subscribers will be reset")]
    public static partial void SlotLost(ILogger logger, string slot);

    [LoggerMessage(EventId = 228, Level = LogLevel.Error, Message = "Pipeline failed; restarting it in {Delay}")]
    public static partial void PipelineFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 229, Level = LogLevel.Information,
        Message = "Created temporary replication slot {Slot}; start-up state read under its snapshot {Snapshot}")]
    public static partial void TemporarySlotCreated(ILogger logger, string slot, string snapshot);

    [LoggerMessage(EventId = 230, Level = LogLevel.Information,
        Message = "Dropped the idle replication slot {Slot} that an older version created by default, so it stops holding WAL")]
    public static partial void LegacySlotDropped(ILogger logger, string slot);

    [LoggerMessage(EventId = 231, Level = LogLevel.Warning,
        Message = "Replication resumed on a new temporary slot {Slot}; the state of {Symbols} symbols was read again under its snapshot to cover the gap")]
    public static partial void StateReloaded(ILogger logger, string slot, int symbols);

    [LoggerMessage(EventId = 232, Level = LogLevel.Warning,
        Message = "Positions changed epoch from {Old} to {New} (ticks truncated, rewritten or restored): the book was read again whole and every subscriber is reset")]
    public static partial void EpochChanged(ILogger logger, string old, string @new);

    [LoggerMessage(EventId = 233, Level = LogLevel.Information, Message = "Symbol directory: added {Added} symbols of the simulated universe")]
    public static partial void ShippedSymbolsAdded(ILogger logger, long added);

    [LoggerMessage(EventId = 234, Level = LogLevel.Warning,
        Message = "Could not add the simulated universe to the symbol directory; the feed runs without it")]
    public static partial void ShippedSymbolsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 260, Level = LogLevel.Information, Message = "Publisher standing by: waiting for the lead (lock {Lock})")]
    public static partial void PublisherStandby(ILogger logger, string @lock);

    [LoggerMessage(EventId = 261, Level = LogLevel.Information, Message = "Publisher leads (lock {Lock}): reading the write-ahead log into stream {Stream}")]
    public static partial void PublisherLeading(ILogger logger, string @lock, string stream);

    [LoggerMessage(EventId = 262, Level = LogLevel.Error, Message = "Publisher lost its lock connection: stopping, so that it never publishes beside the next leader")]
    public static partial void PublisherLostLead(ILogger logger);

    [LoggerMessage(EventId = 263, Level = LogLevel.Warning, Message = "Publisher could not reach PostgreSQL for the lead; retrying")]
    public static partial void PublisherLockFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 264, Level = LogLevel.Warning, Message = "Publishing to NATS failed; holding the change stream (nothing acknowledged) and retrying in {Delay}")]
    public static partial void PublishFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 265, Level = LogLevel.Information,
        Message = "Publisher took the lead: {Republished} of {Symbols} symbols were newer than the stream and were published with their gap merged")]
    public static partial void BookRepublished(ILogger logger, int republished, int symbols);
}
