namespace Ticker.Database.Ticks;

/// <summary>
/// A page was asked for after a cursor, oldest first, but retention has since deleted ticks after
/// that cursor: continuing would skip them silently. The caller starts again without the cursor
/// (the range now begins after <see cref="RemovedThrough"/>).
/// </summary>
public sealed class CursorGoneException(string symbol, TickCursor after, TickCursor removedThrough)
    : Exception($"the ticks of {symbol} after cursor {after} up to {removedThrough} were deleted by retention; start again without the cursor")
{
    public string Symbol { get; } = symbol;

    public TickCursor After { get; } = after;

    public TickCursor RemovedThrough { get; } = removedThrough;
}
