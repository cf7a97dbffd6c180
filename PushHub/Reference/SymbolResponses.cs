using Ticker.Database.Reference;

namespace Ticker.PushHub.Reference;

/// <summary>A symbol directory entry as <c>/api/symbols</c> answers it.</summary>
internal sealed record SymbolDto(string Symbol, string Name, string Venue, string AssetClass, string Currency, string TimeZone,
    string Calendar, decimal TickSize, bool Active)
{
    public static SymbolDto From(SymbolEntry e) => new(e.Symbol, e.Name, e.Venue, e.AssetClass, e.Currency, e.TimeZone, e.Calendar, e.TickSize, e.Active);
}

/// <summary>The answer to <c>GET /api/symbols?q=</c>: the matches, best first.</summary>
internal sealed record SymbolSearchResponse(string Q, IReadOnlyList<SymbolDto> Symbols);

/// <summary>The answer to <c>GET /api/unknown-symbols</c>: symbols with ticks that the directory does not list.</summary>
internal sealed record UnknownSymbolsResponse(IReadOnlyList<string> Symbols);
