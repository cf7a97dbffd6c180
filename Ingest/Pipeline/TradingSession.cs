namespace Ticker.Ingest.Pipeline;

/// <summary>
/// Sessions are days that begin at a fixed UTC time of day (midnight by default); open, high,
/// low and volume reset when a tick from a later session arrives.
/// </summary>
public sealed class TradingSession(TimeSpan startUtc)
{
    public TimeSpan StartUtc { get; } = startUtc;

    public DateTimeOffset StartOf(DateTimeOffset ts)
    {
        var shifted = ts.ToUniversalTime() - StartUtc;
        return new DateTimeOffset(shifted.Date, TimeSpan.Zero) + StartUtc;
    }
}
