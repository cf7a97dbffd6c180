using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ticker.Database.Ticks;

/// <summary>
/// A keyset position in one symbol's ticks: (ts, id) is unique and matches the
/// <c>ticks_symbol_ts_id</c> index, so the next page is one index range scan however deep it is.
/// Written as <c>{unix microseconds}.{id}</c> for use in URLs.
/// </summary>
public readonly record struct TickCursor(DateTimeOffset Ts, long Id)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Ts.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}.{Id}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out TickCursor? cursor)
    {
        cursor = null;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros)
            || !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || micros is < -62_135_596_800_000_000 or > 253_402_300_799_000_000)
        {
            return false;
        }

        cursor = new TickCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), id);
        return true;
    }
}
