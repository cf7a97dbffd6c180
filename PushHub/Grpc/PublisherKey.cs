using System.Security.Cryptography;
using System.Text;
using Ticker.Database.Ticks;

namespace Ticker.PushHub.Grpc;

/// <summary>
/// One <c>Hub:PublisherKeys</c> entry: <c>SECRET</c> may publish any symbol;
/// <c>SECRET@AAPL,MSFT,BRK.*</c> only the symbols named (a trailing <c>*</c> matches a prefix).
/// The split is at the last <c>@</c>, and only when everything after it is such a list, so an
/// existing secret containing <c>@</c> keeps working unless it ends in something symbol-like.
/// </summary>
internal sealed class PublisherKey
{
    private readonly string[] _patterns;
    private readonly Func<string, bool>? _allows;

    private PublisherKey(string secret, string[] patterns)
    {
        Secret = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        _patterns = patterns;
        // Names the publisher in publish_keys without storing its secret.
        Id = Convert.ToHexStringLower(Secret.AsSpan(0, 8));
    }

    private PublisherKey(Identity.Entitlements token)
    {
        Secret = [];
        _patterns = [.. token.Symbols];
        _allows = token.Covers;
        // A token's publisher is its subject: its idempotency keys are its own, whichever token it holds.
        Id = "sub:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Subject)).AsSpan(0, 8));
    }

    /// <summary>A caller with a token carrying the <c>publish</c> scope: it may publish the symbols the token covers.</summary>
    public static PublisherKey ForToken(Identity.Entitlements token) => new(token);

    public byte[] Secret { get; }

    public string Id { get; }

    public string Scope => _patterns.Length == 0 ? "*" : string.Join(',', _patterns);

    public static PublisherKey Parse(string entry)
    {
        var at = entry.LastIndexOf('@');
        if (at > 0 && at < entry.Length - 1)
        {
            var patterns = entry[(at + 1)..].Split(',', StringSplitOptions.TrimEntries);
            if (patterns.All(IsPattern))
            {
                return new PublisherKey(entry[..at], patterns.Contains("*") ? [] : patterns);
            }
        }

        return new PublisherKey(entry, []);
    }

    public bool Allows(string symbol) =>
        _allows?.Invoke(symbol) ?? _patterns.Length == 0 || _patterns.Any(p => p.EndsWith('*') ? symbol.StartsWith(p[..^1], StringComparison.Ordinal) : symbol == p);

    private static bool IsPattern(string pattern) =>
        pattern == "*" || Symbols.IsValid(pattern.EndsWith('*') ? pattern[..^1] : pattern);
}
