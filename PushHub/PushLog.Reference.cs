namespace Ticker.PushHub;

/// <summary>The symbol directory's log lines (PushHub/Reference); event ids 490–499.</summary>
internal static partial class PushLog
{
    [LoggerMessage(EventId = 490, Level = LogLevel.Warning,
        Message = "Ticks of {Symbol} flow, but the symbol directory does not list it (make import-symbols; GET /api/unknown-symbols lists all)")]
    public static partial void UnknownSymbol(ILogger logger, string symbol);

    [LoggerMessage(EventId = 491, Level = LogLevel.Warning, Message = "Could not check for unknown symbols; trying again in a minute")]
    public static partial void UnknownSymbolCheckFailed(ILogger logger, Exception exception);
}
