namespace Ticker.PushHub.Identity;

/// <summary>
/// What a WebSocket session needs to authenticate: the settings, the validator, and the entitlements
/// already known at the upgrade (<c>Auth:Mode=none</c>, an Authorization header or <c>?access_token=</c>), else null.
/// </summary>
internal sealed record WebSocketAuth(AuthOptions Options, AccessTokenValidator? Validator, Entitlements? Initial)
{
    public static readonly WebSocketAuth Open = new(new AuthOptions(), null, Entitlements.Anonymous);
}
