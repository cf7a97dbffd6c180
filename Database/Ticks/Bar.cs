namespace Ticker.Database.Ticks;

/// <summary>An OHLCV bar: ticks whose ts falls in [<see cref="Start"/>, Start + interval).</summary>
public readonly record struct Bar(DateTimeOffset Start, decimal Open, decimal High, decimal Low, decimal Close, long Volume, long Trades);
