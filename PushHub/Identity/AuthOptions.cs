namespace Ticker.PushHub.Identity;

/// <summary>Authentication of every path (WebSocket, gRPC, HTTP, data channel): configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>How long a new WebSocket may take to send a valid <c>auth</c> message before it is closed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long before a token's <c>exp</c> the hub sends <c>token-expiring</c>.</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromSeconds(60);

    public JwtSettings Jwt { get; set; } = new();
}
