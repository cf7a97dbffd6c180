using System.Text.Json;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Identity;

/// <summary>The WebSocket's identity messages (docs/protocol.md, "Authentication").</summary>
internal static class IdentityJson
{
    /// <summary><c>authenticated</c> or <c>refreshed</c>: who the connection is and what it may receive.</summary>
    public static byte[] Authenticated(string type, Entitlements caller, JsonElement? id) => QuoteJson.Write(w =>
    {
        w.WriteString("type", type);
        w.WriteString("sub", caller.Subject);
        w.WriteStartArray("symbols");
        foreach (var symbol in caller.Symbols)
        {
            w.WriteStringValue(symbol);
        }

        w.WriteEndArray();
        w.WriteStartArray("scopes");
        foreach (var scope in caller.Scopes.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(scope);
        }

        w.WriteEndArray();
        if (caller.Expires is { } expires)
        {
            w.WriteString("expires", expires.UtcDateTime);
        }

        QuoteJson.WriteId(w, id);
    });

    public static byte[] TokenExpiring(int seconds) => QuoteJson.Write(w =>
    {
        w.WriteString("type", "token-expiring");
        w.WriteNumber("in", seconds);
    });

    /// <summary>An <c>error</c> with code <c>forbidden</c> naming the refused symbol (or the missing scope).</summary>
    public static byte[] Forbidden(string message, string? symbol, JsonElement? id) => QuoteJson.Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", "forbidden");
        w.WriteString("message", message);
        if (symbol is not null)
        {
            w.WriteString("symbol", symbol);
        }

        QuoteJson.WriteId(w, id);
    });

    /// <summary>After a refresh with fewer symbols: what is no longer streamed, and why.</summary>
    public static byte[] Revoked(IReadOnlyList<string> symbols) => QuoteJson.Write(w =>
    {
        w.WriteString("type", "unsubscribed");
        w.WriteStartArray("symbols");
        foreach (var symbol in symbols)
        {
            w.WriteStringValue(symbol);
        }

        w.WriteEndArray();
        w.WriteString("reason", "the refreshed token does not cover these symbols");
    });
}
