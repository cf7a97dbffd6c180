namespace Ticker.Ingest.Pipeline;

/// <summary>
/// Whether the change source is connected right now, for readiness: up once a source has its
/// connection (and slot), down from the moment it loses it until the next attempt has one.
/// </summary>
public sealed class ChangeStreamStatus
{
    private volatile string? _down = "not started";

    /// <summary>Null when connected; otherwise why not.</summary>
    public string? Down => _down;

    public bool IsUp => _down is null;

    public void MarkUp() => _down = null;

    public void MarkDown(string reason) => _down = reason;
}
