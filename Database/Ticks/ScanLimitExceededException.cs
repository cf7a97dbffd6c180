namespace Ticker.Database.Ticks;

/// <summary>A history read would have to scan more ticks than it may; it stopped at the limit.</summary>
public sealed class ScanLimitExceededException(long maxTicks)
    : Exception($"the range holds more than {maxTicks} ticks")
{
    public long MaxTicks { get; } = maxTicks;
}
