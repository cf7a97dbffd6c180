namespace Ticker.Ingest.Pipeline;

/// <summary>
/// One delta: the quote after the tick, and which fields the tick changed. A subscriber that only
/// wants the changes sends the <see cref="Changed"/> fields of <see cref="Quote"/>; one on a lossy
/// path sends the whole quote.
/// </summary>
/// <param name="CommitTime">When the tick's transaction committed in PostgreSQL: the start of the latency clock.</param>
public sealed record QuoteUpdate(Quote Quote, QuoteFields Changed, DateTimeOffset CommitTime)
{
    /// <summary>How many ticks this update stands for: more than one when it covers ticks the hub did not see one by one (a replication gap).</summary>
    public int Merged { get; init; } = 1;

    public string Symbol => Quote.Symbol;

    public long Seq => Quote.Seq;

    /// <summary>Conflation: the later update's quote, with the fields either one changed.</summary>
    public QuoteUpdate MergeWith(QuoteUpdate later) => later with { Changed = Changed | later.Changed, Merged = Merged + later.Merged };
}
