using System.Globalization;
using Ticker.PushHub.Identity;

namespace Ticker.PushHub.Push;

/// <summary>
/// Identity on the WebSocket: until an <c>auth</c> message (or a token at the upgrade) is accepted the
/// connection may do nothing else, and it is closed (4001) if none arrives within Auth:Timeout. Before
/// the token's <c>exp</c> the client is told (<c>token-expiring</c>); a <c>refresh</c> keeps the
/// subscriptions it still covers; a token left to expire closes the connection (4002).
/// </summary>
internal sealed partial class WebSocketSession
{
    private Entitlements? _caller;
    private TaskCompletionSource _identityChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Entitlements? Caller => Volatile.Read(ref _caller);

    /// <summary>Handles auth and refresh; false when the connection is to be closed (anything else before auth).</summary>
    private async Task<bool> AdmitAsync(ClientCommand command, CancellationToken cancellationToken)
    {
        if (command is ClientCommand.Authenticate authenticate)
        {
            return await AuthenticateAsync(authenticate, cancellationToken);
        }

        if (Caller is not null)
        {
            return true;
        }

        Refuse("authenticate first: {\"op\":\"auth\",\"token\":\"...\"}");
        return false;
    }

    private async Task<bool> AuthenticateAsync(ClientCommand.Authenticate command, CancellationToken cancellationToken)
    {
        var current = Caller;
        if (_auth.Options.Mode == AuthMode.None || _auth.Validator is null)
        {
            Volatile.Write(ref _caller, current ?? Entitlements.Anonymous);
            Reply(IdentityJson.Authenticated(command.Refresh ? "refreshed" : "authenticated", Caller!, command.Id));
            return true;
        }

        var validated = command.Token.Length > JwtSettings.MaxTokenBytes ? null : await _auth.Validator.ValidateAsync(command.Token, cancellationToken);
        if (validated is null || (current is not null && validated.Subject != current.Subject))
        {
            var why = validated is null ? "the token is not valid" : "a refresh must carry the same sub";
            if (current is null)
            {
                Refuse(why);
                return false;
            }

            // A bad refresh does not end the stream: the current token holds until it expires.
            Reply(QuoteJson.Error("unauthorized", $"{why}; the current token stays in force until it expires", command.Id));
            return true;
        }

        Volatile.Write(ref _caller, validated);
        if (current is not null && subscriptions.Restrict(_queue, validated) is { Count: > 0 } dropped)
        {
            Reply(IdentityJson.Revoked(dropped));
        }

        Reply(IdentityJson.Authenticated(current is null ? "authenticated" : "refreshed", validated, command.Id));
        PushLog.Authenticated(logger, validated.Subject);
        Interlocked.Exchange(ref _identityChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return true;
    }

    /// <summary>Whether a subscribe may go ahead; if not, the <c>forbidden</c> error naming the first refused symbol is sent.</summary>
    private bool Entitled(ClientCommand.Subscribe subscribe, Entitlements caller)
    {
        if (!caller.Has(Scopes.Subscribe))
        {
            Reply(IdentityJson.Forbidden("the token does not carry the \"subscribe\" scope", null, subscribe.Id));
            return false;
        }

        if (caller.FirstRefused(subscribe.Symbols.Concat(subscribe.Resume.Keys)) is { } refused)
        {
            PushLog.SymbolRefused(logger, caller.Subject, refused);
            Reply(IdentityJson.Forbidden($"{refused}: not among the symbols your token allows; nothing of this request was subscribed", refused, subscribe.Id));
            return false;
        }

        return true;
    }

    private void Refuse(string reason)
    {
        PushLog.AuthRefused(logger, reason);
        _queue.Enqueue(new Outgoing.Close(new CloseReason(CloseKind.Unauthenticated, reason)));
    }

    /// <summary>Runs for the life of the connection: the auth deadline, then the token's expiry, again after every refresh.</summary>
    private async Task WatchIdentityAsync(CancellationToken cancellationToken)
    {
        try
        {
            var changed = Volatile.Read(ref _identityChanged).Task;
            if (Caller is null)
            {
                await Task.WhenAny(changed, Task.Delay(_auth.Options.Timeout, clock, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                if (Caller is null)
                {
                    Refuse(string.Create(CultureInfo.InvariantCulture, $"no valid auth within {_auth.Options.Timeout.TotalSeconds:0.#} s"));
                    return;
                }
            }

            while (true)
            {
                changed = Volatile.Read(ref _identityChanged).Task;
                var caller = Caller!;
                if (caller.Expires is not { } expires)
                {
                    return;
                }

                var warnIn = expires - _auth.Options.ExpiryWarning - clock.GetUtcNow();
                if (warnIn > TimeSpan.Zero && await WaitAsync(changed, warnIn, cancellationToken))
                {
                    continue;
                }

                var left = expires - clock.GetUtcNow();
                Reply(IdentityJson.TokenExpiring((int)Math.Max(0, Math.Ceiling(left.TotalSeconds))));
                if (left > TimeSpan.Zero && await WaitAsync(changed, left, cancellationToken))
                {
                    continue;
                }

                PushLog.TokenExpired(logger, caller.Subject);
                _queue.Enqueue(new Outgoing.Close(new CloseReason(CloseKind.TokenExpired, "token expired")));
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>True when the identity changed (a refresh) before <paramref name="delay"/> passed.</summary>
    private async Task<bool> WaitAsync(Task changed, TimeSpan delay, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAny(changed, Task.Delay(delay, clock, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        return first == changed;
    }
}
