using System.Collections.Frozen;
using System.Globalization;
using System.Security.Claims;

namespace Ticker.PushHub.Identity;

/// <summary>
/// Who a caller is and what it may do, fixed when it authenticates: the token's <c>sub</c>, its
/// symbol patterns (<c>AAPL</c>, <c>US:*</c>, <c>*</c>), its scopes and its expiry. Every path asks
/// this one type, so no transport can hand out a symbol another refuses.
/// </summary>
public sealed class Entitlements
{
    /// <summary><c>Auth:Mode=none</c>: everything but publishing (which keeps its own keys, Hub:PublisherKeys).</summary>
    public static readonly Entitlements Anonymous = new("anonymous", ["*"], [Identity.Scopes.Subscribe, Identity.Scopes.History, Identity.Scopes.Turn], null);

    private readonly FrozenSet<string> _exact;
    private readonly string[] _prefixes;
    private readonly bool _all;

    public Entitlements(string subject, IReadOnlyList<string> symbols, IEnumerable<string> scopes, DateTimeOffset? expires)
    {
        Subject = subject;
        Symbols = symbols;
        Scopes = scopes.ToFrozenSet(StringComparer.Ordinal);
        Expires = expires;
        _all = symbols.Contains("*");
        _exact = symbols.Where(s => !s.EndsWith('*')).ToFrozenSet(StringComparer.Ordinal);
        _prefixes = symbols.Where(s => s.Length > 1 && s.EndsWith('*')).Select(s => s[..^1]).ToArray();
    }

    public string Subject { get; }

    /// <summary>The patterns as the token wrote them.</summary>
    public IReadOnlyList<string> Symbols { get; }

    public FrozenSet<string> Scopes { get; }

    public DateTimeOffset? Expires { get; }

    public bool Has(string scope) => Scopes.Contains(scope);

    /// <summary>Whether the token covers <paramref name="symbol"/> (a real symbol, never the "*" of a subscribe).</summary>
    public bool Covers(string symbol) =>
        _all || _exact.Contains(symbol) || Array.Exists(_prefixes, p => symbol.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// The first symbol of a request that the token does not cover; null when all are covered.
    /// "*" in a request is always admitted: it means every symbol the token covers.
    /// </summary>
    public string? FirstRefused(IEnumerable<string> requested) => requested.FirstOrDefault(s => s != "*" && !Covers(s));

    /// <summary>Reads the claims of a validated token: <c>sub</c>, <c>symbols</c> (one claim per array item), <c>scope</c>, <c>exp</c>.</summary>
    public static Entitlements FromPrincipal(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst("sub")?.Value ?? "";
        var symbols = principal.FindAll("symbols").Select(c => c.Value.Trim()).Where(IsPattern).Distinct(StringComparer.Ordinal).ToList();
        var scopes = principal.FindAll("scope").Concat(principal.FindAll("scp"))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        DateTimeOffset? expires = long.TryParse(principal.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : null;
        return new Entitlements(subject, symbols, scopes, expires);
    }

    /// <summary>A pattern is "*", a symbol, or a symbol prefix followed by "*"; anything else matches nothing and is dropped.</summary>
    private static bool IsPattern(string pattern) =>
        pattern == "*" || global::Ticker.Database.Ticks.Symbols.Explain(pattern.EndsWith('*') ? pattern[..^1] : pattern) is null;
}
