using System.Globalization;

namespace Ticker.PushHub.History;

/// <summary>Bar widths as traders write them: <c>1s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, <c>1w</c>.</summary>
internal static class BarInterval
{
    public const string Expected = "interval must be a count and a unit s, m, h, d or w (e.g. 1m, 15m, 1h, 1d), at most 52w";

    public static bool TryParse(string text, out TimeSpan interval)
    {
        interval = TimeSpan.Zero;
        if (text.Length is < 2 or > 6
            || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count <= 0)
        {
            return false;
        }

        interval = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(count),
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            'w' => TimeSpan.FromDays(7.0 * count),
            _ => TimeSpan.Zero,
        };
        return interval > TimeSpan.Zero && interval <= TimeSpan.FromDays(7 * 52);
    }
}
