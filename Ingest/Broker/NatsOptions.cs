using System.ComponentModel.DataAnnotations;

namespace Ticker.Ingest.Broker;

/// <summary>The NATS JetStream tier between publishers and edge hubs: configuration section <c>Nats</c>.</summary>
public sealed class NatsOptions
{
    public const string Section = "Nats";

    [Required(ErrorMessage = "Nats:Url is required in Ingest:Mode publisher and edge.")]
    [RegularExpression("^(nats|tls|ws|wss)://.+$", ErrorMessage = "Nats:Url must be a nats://, tls://, ws:// or wss:// address (comma-separated for a cluster).")]
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>The stream's name; also the first token of its subjects (<c>TICKER.&lt;symbol&gt;</c>).</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,32}$", ErrorMessage = "Nats:Stream must be 1-32 characters of A-Z, a-z, 0-9, _ and -.")]
    public string Stream { get; set; } = "TICKER";

    /// <summary>Updates kept per symbol (subject) for resume beyond a hub's memory; 0: no limit by count.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Nats:MaxMessagesPerSubject must be 0 (no limit) or positive.")]
    public long MaxMessagesPerSubject { get; set; } = 100_000;

    /// <summary>How long updates are kept; zero: no limit by age.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Nats:MaxAge must be between 00:00:00 (no limit) and 3650 days.")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long JetStream remembers message ids: a new leader's re-publishing within it is dropped as a duplicate.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Nats:DuplicateWindow must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Copies of the stream in a NATS cluster (1 on a single server).</summary>
    [Range(1, 5, ErrorMessage = "Nats:Replicas must be between 1 and 5.")]
    public int Replicas { get; set; } = 1;

    /// <summary>How often a standby publisher tries to take the lead, and the leader checks its lock connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Nats:LeaderCheckInterval must be between 00:00:00.050 and 00:01:00.")]
    public TimeSpan LeaderCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The subject of one symbol's updates.</summary>
    public string SubjectOf(string symbol) => $"{Stream}.{QuoteSubjects.Encode(symbol)}";

    /// <summary>Every symbol's subject.</summary>
    public string AllSubjects => $"{Stream}.>";
}
