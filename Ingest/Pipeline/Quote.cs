namespace Ticker.Ingest.Pipeline;

/// <summary>
/// A symbol's full current quote after the tick numbered <see cref="Seq"/>: immutable, so one
/// instance can be handed to every subscriber and serialized once.
/// </summary>
/// <param name="Seq">Per-symbol sequence number: how many of the symbol's ticks had committed, in commit order.</param>
/// <param name="Open">The first price of the current session (UTC day unless configured).</param>
public sealed record Quote(
    string Symbol,
    long Seq,
    decimal Last,
    decimal? Bid,
    decimal? Ask,
    long Size,
    decimal Open,
    decimal High,
    decimal Low,
    long Volume,
    DateTimeOffset Ts,
    DateTimeOffset SessionStart)
{
    public decimal Change => Last - Open;

    public decimal ChangePercent => Open == 0 ? 0 : decimal.Round((Last - Open) / Open * 100, 4);
}
