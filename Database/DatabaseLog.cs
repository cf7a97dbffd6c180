using Microsoft.Extensions.Logging;

namespace Ticker.Database;

/// <summary>Every log line of the Database project; event ids 100–199.</summary>
internal static partial class DatabaseLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applied migration {Version}")]
    public static partial void MigrationApplied(ILogger logger, string version);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Schema is current: {Applied} migrations applied now, {Total} in all")]
    public static partial void SchemaCurrent(ILogger logger, int applied, int total);
}
