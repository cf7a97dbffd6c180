using Ticker.Database.Ticks;

namespace Ticker.PushHub.History;

internal sealed record TickDto(long Id, string Symbol, DateTimeOffset Ts, decimal Price, long Size, decimal? Bid, decimal? Ask)
{
    public static TickDto From(StoredTick t) => new(t.Id, t.Symbol, t.Ts, t.Price, t.Size, t.Bid, t.Ask);
}

/// <summary>
/// A symbol's live quote as <c>/api/quotes</c> answers it: the fields of its latest tick (price is
/// the last price) and its sequence number and session figures.
/// </summary>
internal sealed record QuoteDto(string Symbol, DateTimeOffset Ts, decimal Price, long Size, decimal? Bid, decimal? Ask,
    long Seq, decimal Open, decimal High, decimal Low, long Volume)
{
    public static QuoteDto From(Ingest.Pipeline.Quote q) => new(q.Symbol, q.Ts, q.Last, q.Size, q.Bid, q.Ask, q.Seq, q.Open, q.High, q.Low, q.Volume);
}

/// <summary>A page of ticks; <see cref="Next"/> is the <c>after</c> value for the next page, null on the last.</summary>
internal sealed record TicksResponse(string Symbol, IReadOnlyList<TickDto> Ticks, string? Next);

internal sealed record BarsResponse(string Symbol, string Interval, IReadOnlyList<Bar> Bars);
