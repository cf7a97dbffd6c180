namespace Ticker.Database.Reference;

/// <summary>
/// One row of the symbol directory (<c>symbols</c>, 0006_symbols.sql): what a ticker is, where it
/// trades, in which currency and time zone, and by which session calendar.
/// </summary>
public sealed record SymbolEntry(
    string Symbol, string Name, string Venue, string AssetClass, string Currency, string TimeZone, string Calendar,
    decimal TickSize, bool Active);
