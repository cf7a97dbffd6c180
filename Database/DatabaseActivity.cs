using System.Diagnostics;

namespace Ticker.Database;

/// <summary>
/// Traces of the tick store (ActivitySource <c>Ticker.Database</c>): one span per history query and
/// per appended batch, around Npgsql's own per-command spans, carrying the symbol and the row count.
/// </summary>
public static class DatabaseActivity
{
    public const string SourceName = "Ticker.Database";

    internal static readonly ActivitySource Source = new(SourceName);
}
