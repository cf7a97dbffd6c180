using Ticker.Database.Ticks;

namespace Ticker.PushHub.History;

internal sealed record TickDto(long Id, string Symbol, DateTimeOffset Ts, decimal Price, long Size, decimal? Bid, decimal? Ask)
{
    public static TickDto From(StoredTick t) => new(t.Id, t.Symbol, t.Ts, t.Price, t.Size, t.Bid, t.Ask);
}

/// <summary>A page of ticks; <see cref="Next"/> is the <c>after</c> value for the next page, null on the last.</summary>
internal sealed record TicksResponse(string Symbol, IReadOnlyList<TickDto> Ticks, string? Next);

internal sealed record BarsResponse(string Symbol, string Interval, IReadOnlyList<Bar> Bars);
