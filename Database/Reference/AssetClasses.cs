namespace Ticker.Database.Reference;

/// <summary>The asset classes the <c>symbols_asset_class</c> constraint allows (0006_symbols.sql).</summary>
public static class AssetClasses
{
    public static IReadOnlyList<string> All { get; } = ["equity", "etf", "fund", "index", "crypto", "fx", "future", "option", "bond", "other"];
}
