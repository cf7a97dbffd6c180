namespace Ticker.PushHub.Identity;

/// <summary>The OAuth scopes (claim <c>scope</c>, space-separated) the hub knows.</summary>
public static class Scopes
{
    public const string Subscribe = "subscribe";
    public const string History = "history";
    public const string Publish = "publish";
    public const string Turn = "turn";
}
