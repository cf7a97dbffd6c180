using System.Globalization;

namespace Ticker.Database.Ticks;

/// <summary>
/// Which time stamps a tick may carry, the rule migration 0003 enforces in the schema: finite, not
/// before 1900, and not more than a clock-skew allowance ahead of the present. Feeds are refused
/// at their entrance with this reason; ticks already stored outside it are tolerated by the hub.
/// </summary>
public static class TickTime
{
    /// <summary>The earliest accepted time stamp: older than any price record worth importing.</summary>
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of the clock a tick may be stamped by default (feeds' clocks drift); the schema's default too.</summary>
    public static readonly TimeSpan DefaultFutureSkew = TimeSpan.FromMinutes(1);

    /// <summary>Why <paramref name="ts"/> is not an acceptable time stamp at <paramref name="now"/>, or null when it is.</summary>
    public static string? Explain(DateTimeOffset ts, DateTimeOffset now, TimeSpan futureSkew) =>
        ts < Earliest ? string.Create(CultureInfo.InvariantCulture, $"{ts:O} is before {Earliest:yyyy-MM-dd}")
        : ts > now + futureSkew ? string.Create(CultureInfo.InvariantCulture, $"{ts:O} is more than {futureSkew} ahead of the clock ({now:O})")
        : null;

    /// <summary>Whether a stored tick's time stamp can be taken at face value at <paramref name="now"/>.</summary>
    public static bool IsPlausible(DateTimeOffset ts, DateTimeOffset now, TimeSpan futureSkew) => ts >= Earliest && ts <= now + futureSkew;
}
