namespace Ticker.Database.Ticks;

/// <summary>What one retention run deleted: ticks in all, and how many symbols lost some.</summary>
public readonly record struct RetentionResult(long Removed, int Symbols);
