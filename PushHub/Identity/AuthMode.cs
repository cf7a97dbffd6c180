namespace Ticker.PushHub.Identity;

/// <summary><c>Auth:Mode</c>: who may do what on this hub.</summary>
public enum AuthMode
{
    /// <summary>Open: every caller is "anonymous" and may subscribe to everything (local development).</summary>
    None,

    /// <summary>Every caller presents a JWT; its claims decide what it may do.</summary>
    Jwt,
}
