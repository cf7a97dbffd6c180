using System.Globalization;
using System.Text.RegularExpressions;
using Ticker.Database.Ticks;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>
/// Parses one CSV row <c>symbol,ts,price,size[,bid,ask]</c> into a tick, or says precisely why it
/// cannot: the same rules the table's constraints enforce, checked first so a bad row is reported
/// by line number instead of failing the whole COPY.
/// </summary>
internal static partial class CsvTickParser
{
    public static readonly string[] Columns = ["symbol", "ts", "price", "size", "bid", "ask"];

    // numeric(20, 8) in 0001_ticks.sql: twelve digits before the point, eight after.
    private const int MaxIntegerDigits = 12;
    private const int MaxFractionDigits = 8;

    /// <summary>Whether the row is a header naming the columns (any case, surrounding spaces allowed).</summary>
    public static bool IsHeader(IReadOnlyList<string> fields) =>
        fields.Count > 0 && fields[0].Trim().Equals("symbol", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why a header row is not <c>symbol,ts,price,size[,bid,ask]</c>, or null when it is.</summary>
    public static string? ExplainHeader(IReadOnlyList<string> fields)
    {
        if (fields.Count is not (4 or 6))
        {
            return $"header has {fields.Count} columns; expected symbol,ts,price,size or symbol,ts,price,size,bid,ask";
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (!fields[i].Trim().Equals(Columns[i], StringComparison.OrdinalIgnoreCase))
            {
                return $"header column {i + 1} is \"{fields[i]}\"; expected \"{Columns[i]}\"";
            }
        }

        return null;
    }

    /// <summary>Parses a row; <paramref name="now"/> bounds how far ahead its time stamp may be (see <see cref="TickTime"/>).</summary>
    public static bool TryParse(IReadOnlyList<string> fields, DateTimeOffset now, out Tick tick, out string? error)
    {
        tick = default;
        if (fields.Count is not (4 or 6))
        {
            error = $"expected 4 or 6 fields (symbol,ts,price,size[,bid,ask]), found {fields.Count}";
            return false;
        }

        var symbol = fields[0].Trim();
        var symbolError = Symbols.Explain(symbol);
        var tsError = ExplainTimestamp(fields[1], out var ts)
            ?? (TickTime.Explain(ts, now, TickTime.DefaultFutureSkew) is { } bound ? $"ts {bound}" : null);
        var priceError = ExplainDecimal("price", fields[2], out var price);
        var sizeError = ExplainSize(fields[3], out var size);
        error = symbolError ?? tsError ?? priceError ?? sizeError;
        if (error is not null)
        {
            return false;
        }

        decimal? bid = null, ask = null;
        if (fields.Count == 6)
        {
            error = ExplainOptionalDecimal("bid", fields[4], out bid) ?? ExplainOptionalDecimal("ask", fields[5], out ask);
            if (error is not null)
            {
                return false;
            }
        }

        tick = new Tick(symbol, ts, price, size, bid, ask);
        return true;
    }

    private static string? ExplainTimestamp(string text, out DateTimeOffset ts)
    {
        // ISO 8601 only (a space may stand for the T); a timestamp without an offset is taken as
        // UTC. The shape is checked first: DateTimeOffset.TryParse alone would read 03/02/2026 as
        // a US date, and a DD/MM file would import wrong without an error.
        var trimmed = text.Trim();
        if (IsoTimestamp().IsMatch(trimmed)
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out ts))
        {
            return null;
        }

        ts = default;
        return $"ts \"{Shorten(text)}\" is not an ISO 8601 timestamp (e.g. 2026-03-02T14:30:00.123Z)";
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d{1,7})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimestamp();

    private static string? ExplainDecimal(string name, string text, out decimal value)
    {
        var trimmed = text.Trim();
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return $"{name} \"{Shorten(text)}\" is not a decimal number";
        }

        if (value <= 0)
        {
            return $"{name} must be positive, got {trimmed}";
        }

        var point = trimmed.IndexOf('.', StringComparison.Ordinal);
        var fraction = point < 0 ? 0 : trimmed.Length - point - 1;
        if (fraction > MaxFractionDigits)
        {
            return $"{name} {trimmed} has more than {MaxFractionDigits} decimal places";
        }

        return value >= 1_000_000_000_000m ? $"{name} {trimmed} has more than {MaxIntegerDigits} digits before the point" : null;
    }

    private static string? ExplainOptionalDecimal(string name, string text, out decimal? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var error = ExplainDecimal(name, text, out var parsed);
        value = parsed;
        return error;
    }

    private static string? ExplainSize(string text, out long size)
    {
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out size))
        {
            return $"size \"{Shorten(text)}\" is not a whole number";
        }

        return size < 0 ? $"size must not be negative, got {size}" : null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
