using System.ComponentModel.DataAnnotations;

namespace Ticker.PushHub.Push;

/// <summary>Limits and timings of the push endpoints: configuration section <c>Hub</c>.</summary>
public sealed class HubOptions
{
    public const string Section = "Hub";

    [Range(1, 100_000, ErrorMessage = "Hub:MaxSymbolsPerConnection must be between 1 and 100000.")]
    public int MaxSymbolsPerConnection { get; set; } = 1000;

    [Range(1, 10_000, ErrorMessage = "Hub:MaxOpsPerSecond must be between 1 and 10000.")]
    public int MaxOpsPerSecond { get; set; } = 20;

    [Range(256, 1 << 20, ErrorMessage = "Hub:MaxMessageBytes must be between 256 and 1048576.")]
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    [Range(1, 1_000_000, ErrorMessage = "Hub:MaxConnectionsPerAddress must be between 1 and 1000000.")]
    public int MaxConnectionsPerAddress { get; set; } = 100;

    /// <summary>
    /// Bytes of control messages (snapshots, replayed deltas, resets, acknowledgements, errors) the hub
    /// holds for one connection, counting the batch being written; past it the connection is ended
    /// (WebSocket close 1008, gRPC RESOURCE_EXHAUSTED). Enough for a snapshot of a few thousand symbols.
    /// </summary>
    [Range(16 * 1024, 1L << 32, ErrorMessage = "Hub:MaxQueuedBytes must be between 16384 and 4294967296.")]
    public long MaxQueuedBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A client that takes longer than this to accept one batch of messages (one drain of its queue) is disconnected.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Keys that allow gRPC <c>Publish</c> (header <c>x-publisher-key</c>); none configured means Publish is refused.
    /// <c>SECRET@AAPL,MSFT,BRK.*</c> restricts a key to those symbols (see <c>PublisherKey</c>).
    /// </summary>
    public string[] PublisherKeys { get; set; } = [];

    /// <summary>
    /// Ticks one bars request (HTTP or gRPC) may read. The bar count alone bounds nothing: 52-week
    /// bars over a century are few bars but a symbol's whole history scanned.
    /// </summary>
    [Range(1000L, 1_000_000_000L, ErrorMessage = "Hub:MaxBarsScannedTicks must be between 1000 and 1000000000.")]
    public long MaxBarsScannedTicks { get; set; } = 1_000_000;

    /// <summary>How long a Publish idempotency key is remembered; a retry after that writes again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Hub:PublishKeyRetention must be between 00:01:00 and 365.00:00:00.")]
    public TimeSpan PublishKeyRetention { get; set; } = TimeSpan.FromDays(7);
}
