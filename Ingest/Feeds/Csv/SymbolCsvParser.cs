using System.Globalization;
using System.Text.RegularExpressions;
using Ticker.Database.Reference;
using Ticker.Database.Ticks;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>
/// Parses one row of a symbol directory file
/// <c>symbol,name,venue,asset_class,currency,time_zone,calendar,tick_size,active</c>, or says
/// precisely why it cannot: the rules of the <c>symbols</c> table's constraints (0006_symbols.sql),
/// checked first so a bad row is reported by line number, plus a time zone the machine knows.
/// </summary>
internal static partial class SymbolCsvParser
{
    public static readonly string[] Columns = ["symbol", "name", "venue", "asset_class", "currency", "time_zone", "calendar", "tick_size", "active"];

    public static readonly string Header = string.Join(',', Columns);

    private const int MaxNameLength = 200;
    private const int MaxFractionDigits = 8;

    /// <summary>Why a row is not the header, or null when it is (any case, surrounding spaces allowed).</summary>
    public static string? ExplainHeader(IReadOnlyList<string> fields) =>
        fields.Count == Columns.Length && fields.Select((f, i) => f.Trim().Equals(Columns[i], StringComparison.OrdinalIgnoreCase)).All(same => same)
            ? null
            : $"the first line must be the header {Header}";

    public static bool TryParse(IReadOnlyList<string> fields, out SymbolEntry? entry, out string? error)
    {
        entry = null;
        if (fields.Count != Columns.Length)
        {
            error = $"expected {Columns.Length} fields ({Header}), found {fields.Count}";
            return false;
        }

        var symbol = fields[0].Trim();
        var name = fields[1].Trim();
        var venue = fields[2].Trim();
        var assetClass = fields[3].Trim();
        var currency = fields[4].Trim();
        var timeZone = fields[5].Trim();
        var calendar = fields[6].Trim();
        // Both parsed up front: ?? below may skip them.
        var tickSizeError = ExplainTickSize(fields[7], out var tickSize);
        var activeError = ExplainActive(fields[8], out var active);
        error = (Symbols.Explain(symbol) is { } why ? $"symbol \"{Shorten(symbol)}\": {why}" : null)
            ?? ExplainName(name)
            ?? (Venue().IsMatch(venue) ? null : $"venue \"{Shorten(venue)}\" must be 1 to 16 upper-case letters, digits and . _ - (a market identifier code such as XNAS)")
            ?? (AssetClasses.All.Contains(assetClass) ? null : $"asset_class \"{Shorten(assetClass)}\" must be one of {string.Join(", ", AssetClasses.All)}")
            ?? (Currency().IsMatch(currency) ? null : $"currency \"{Shorten(currency)}\" must be an ISO 4217 code of three upper-case letters (e.g. USD)")
            ?? ExplainTimeZone(timeZone)
            ?? (Calendar().IsMatch(calendar) ? null : $"calendar \"{Shorten(calendar)}\" must be 1 to 32 lower-case letters, digits and - (e.g. us-equity)")
            ?? tickSizeError
            ?? activeError;
        if (error is not null)
        {
            return false;
        }

        entry = new SymbolEntry(symbol, name, venue, assetClass, currency, timeZone, calendar, tickSize, active);
        return true;
    }

    private static string? ExplainName(string name) => name.Length switch
    {
        0 => "name is empty",
        > MaxNameLength => $"name is longer than {MaxNameLength} characters",
        _ => null,
    };

    // An IANA id the machine's time zone database knows; Windows ids ("Eastern Standard Time") are
    // refused so every hub reads the column the same way.
    private static string? ExplainTimeZone(string id) =>
        id.Length > 0 && TimeZoneId().IsMatch(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId
            ? null
            : $"time_zone \"{Shorten(id)}\" is not an IANA time zone id this machine knows (e.g. America/New_York, Europe/London, UTC)";

    private static string? ExplainTickSize(string text, out decimal value)
    {
        var trimmed = text.Trim();
        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) || value <= 0)
        {
            return $"tick_size \"{Shorten(text)}\" must be a positive decimal number (e.g. 0.01)";
        }

        var point = trimmed.IndexOf('.', StringComparison.Ordinal);
        if (point >= 0 && trimmed.Length - point - 1 > MaxFractionDigits)
        {
            return $"tick_size {trimmed} has more than {MaxFractionDigits} decimal places";
        }

        return value >= 1_000_000_000_000m ? $"tick_size {trimmed} is too large" : null;
    }

    private static string? ExplainActive(string text, out bool active)
    {
        var trimmed = text.Trim();
        active = trimmed.Length == 0 || trimmed.Equals("true", StringComparison.OrdinalIgnoreCase);
        return trimmed.Length == 0 || active || trimmed.Equals("false", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"active \"{Shorten(text)}\" must be true, false or empty (true)";
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    // The constraints of 0006_symbols.sql; \z, not $ (see Symbols).
    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9._-]{0,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Venue();

    [GeneratedRegex(@"^[A-Z]{3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Currency();

    [GeneratedRegex(@"^[A-Za-z0-9_+/-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TimeZoneId();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Calendar();
}
