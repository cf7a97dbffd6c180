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
        // A time stamp at the calendar's edge (year 1, or -infinity read as its minimum) has no
        // session before it to align to: it is its own, rather than an exception in the pipeline.
        var shiftedTicks = ts.UtcTicks - StartUtc.Ticks;
        if (shiftedTicks < DateTime.MinValue.Ticks || shiftedTicks > DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay)
        {
            return ts.ToUniversalTime();
        }

        var shifted = ts.ToUniversalTime() - StartUtc;
        return new DateTimeOffset(shifted.Date, TimeSpan.Zero) + StartUtc;
    }
}
