namespace Ticker.PushHub;

/// <summary>Identity's log lines (event ids 460–479). Tokens are never logged, only the subject and the outcome.</summary>
internal static partial class PushLog
{
    [LoggerMessage(EventId = 460, Level = LogLevel.Warning,
        Message = "Auth:Mode is none and the hub listens on {Address}, beyond loopback: anyone who reaches it may subscribe to everything. Set Auth:Mode=jwt (docs/security.md)")]
    public static partial void OpenBeyondLoopback(ILogger logger, string address);

    [LoggerMessage(EventId = 461, Level = LogLevel.Information, Message = "WebSocket authenticated as {Subject}")]
    public static partial void Authenticated(ILogger logger, string subject);

    [LoggerMessage(EventId = 462, Level = LogLevel.Information, Message = "WebSocket refused: {Reason}")]
    public static partial void AuthRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 463, Level = LogLevel.Information, Message = "{Subject} refused {Symbol}: not among the token's symbols")]
    public static partial void SymbolRefused(ILogger logger, string subject, string symbol);

    [LoggerMessage(EventId = 464, Level = LogLevel.Information, Message = "WebSocket of {Subject} closed: its token expired")]
    public static partial void TokenExpired(ILogger logger, string subject);

    [LoggerMessage(EventId = 465, Level = LogLevel.Information, Message = "Refused a WebSocket upgrade from origin {Origin}: not in Hub:AllowedOrigins")]
    public static partial void OriginRefused(ILogger logger, string origin);
}
