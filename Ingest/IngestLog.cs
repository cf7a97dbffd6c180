using Microsoft.Extensions.Logging;

namespace Ticker.Ingest;

/// <summary>Every log line of the Ingest project; event ids 200–299 (feeds 200–219).</summary>
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
}
