namespace Ticker.Database.ChangeFeed;

/// <summary>
/// Every symbol's state, the snapshot it was read under (<c>pg_current_snapshot()</c> as text:
/// <c>xmin:xmax:xip,...</c>) and the epoch its counts belong to.
/// </summary>
public sealed record SymbolStateSet(string Snapshot, IReadOnlyList<SymbolState> Symbols, string Epoch);
