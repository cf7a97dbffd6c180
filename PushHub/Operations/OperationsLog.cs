namespace Ticker.PushHub.Operations;

/// <summary>Log lines of health, drain and proxy handling; event ids 480–499 of the hub's block.</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 480, Level = LogLevel.Information,
        Message = "Draining: not ready, refusing new connections, asking {Sessions} sessions to reconnect elsewhere (Hub:DrainTimeout {Timeout})")]
    public static partial void DrainStarted(ILogger logger, int sessions, TimeSpan timeout);

    [LoggerMessage(EventId = 481, Level = LogLevel.Information, Message = "Drained: every session ended after {Elapsed}")]
    public static partial void Drained(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(EventId = 482, Level = LogLevel.Warning, Message = "Drain timed out after {Timeout} with {Sessions} sessions still open; closing them")]
    public static partial void DrainTimedOut(ILogger logger, TimeSpan timeout, int sessions);
}
