namespace Ticker.PushHub.Broker;

/// <summary>The edge's log lines (Ingest:Mode=edge); event ids 490–499 of the hub's range.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Edge: {Symbols} symbols loaded from stream {Stream} (epoch {Epoch}); following it")]
    public static partial void EdgeLoaded(ILogger logger, int symbols, string stream, string epoch);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Edge: reading stream {Stream} failed; retrying in {Delay} from stream sequence {Next}")]
    public static partial void EdgeReadFailed(ILogger logger, Exception exception, string stream, TimeSpan delay, ulong next);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Edge: stream positions are now in epoch {Epoch}; every subscriber is reset")]
    public static partial void EdgeEpochChanged(ILogger logger, string epoch);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Edge: resume of {Symbol} after {Seq} from the stream failed; the subscriber is reset")]
    public static partial void EdgeStreamReplayFailed(ILogger logger, Exception exception, string symbol, long seq);
}
