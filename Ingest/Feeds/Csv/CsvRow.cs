using Ticker.Database.Ticks;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>One non-blank data row of a CSV file: its 1-based line number and its tick, or why it is refused.</summary>
internal readonly record struct CsvRow(long Line, Tick Tick, string? Error);
