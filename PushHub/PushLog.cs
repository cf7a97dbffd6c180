namespace Ticker.PushHub;

/// <summary>Every log line of the hub; event ids 400–499.</summary>
internal static partial class PushLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Disconnected a client that took longer than {Timeout} to accept a message")]
    public static partial void ClientTooSlow(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Refused a WebSocket from {Address}: {Count} connections already open from it")]
    public static partial void TooManyConnections(ILogger logger, string address, int count);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Disconnected a client: {Reason}")]
    public static partial void ClientOverBudget(ILogger logger, string reason);
}
