namespace Ticker.Database.Ticks;

/// <summary>
/// One page of a symbol's ticks in [<see cref="From"/>, <see cref="To"/>), oldest first unless
/// <see cref="NewestFirst"/>, continuing after <see cref="After"/> (the previous page's
/// <see cref="TickPage.Next"/>).
/// </summary>
public sealed record TickQuery(string Symbol, int Limit = TickQuery.DefaultLimit)
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public TickCursor? After { get; init; }
    public bool NewestFirst { get; init; }
}

/// <summary>A page of ticks and, when more follow, the cursor that continues it.</summary>
public sealed record TickPage(IReadOnlyList<StoredTick> Ticks, TickCursor? Next);
