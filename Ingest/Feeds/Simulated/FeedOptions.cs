using System.ComponentModel.DataAnnotations;

namespace Ticker.Ingest.Feeds.Simulated;

/// <summary>The simulated feed, configuration section <c>Feed</c>.</summary>
public sealed class FeedOptions
{
    public const string Section = "Feed";

    /// <summary>Whether the hub runs the simulated feed (on in <c>make run</c>).</summary>
    public bool Enabled { get; set; }

    [Range(1, 100_000, ErrorMessage = "Feed:Symbols must be between 1 and 100000.")]
    public int Symbols { get; set; } = 50;

    [Range(1, 1_000_000, ErrorMessage = "Feed:TicksPerSecond must be between 1 and 1000000.")]
    public int TicksPerSecond { get; set; } = 200;

    [Range(1, 10_000, ErrorMessage = "Feed:BatchSize must be between 1 and 10000.")]
    public int BatchSize { get; set; } = 100;

    /// <summary>Makes the run reproducible; unset, every run differs.</summary>
    public int? Seed { get; set; }
}
