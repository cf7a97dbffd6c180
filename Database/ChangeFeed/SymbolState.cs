namespace Ticker.Database.ChangeFeed;

/// <summary>One symbol's state in <c>ticks</c> as of a snapshot (see <see cref="SymbolStates"/>).</summary>
/// <param name="Count">How many ticks the symbol has: its sequence number so far.</param>
/// <param name="Ts">The latest plausible tick's time stamp; <paramref name="Last"/> and <paramref name="Size"/> are that tick's.</param>
/// <param name="SessionStart">Start of the latest tick's session, whose open, high, low and volume these are.</param>
public sealed record SymbolState(string Symbol, long Count, DateTimeOffset Ts, decimal Last, long Size, decimal? Bid, decimal? Ask,
    decimal Open, decimal High, decimal Low, long Volume, DateTimeOffset SessionStart);
