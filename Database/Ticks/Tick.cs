namespace Ticker.Database.Ticks;

/// <summary>One price tick as a feed writes it. <see cref="Bid"/> and <see cref="Ask"/> are optional.</summary>
public readonly record struct Tick(string Symbol, DateTimeOffset Ts, decimal Price, long Size, decimal? Bid = null, decimal? Ask = null);

/// <summary>A stored tick: the tick and the id the table gave it.</summary>
public readonly record struct StoredTick(long Id, string Symbol, DateTimeOffset Ts, decimal Price, long Size, decimal? Bid, decimal? Ask)
{
    public TickCursor Cursor => new(Ts, Id);
}
