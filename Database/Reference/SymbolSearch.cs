using System.Text;

namespace Ticker.Database.Reference;

/// <summary>
/// A search text turned into the parameters of <see cref="SymbolDirectory.SearchAsync"/>: the
/// ticker as typed (upper-cased) for exact and prefix matches, the name's words as a prefix
/// tsquery, the lower-cased text for fuzzy matches.
/// </summary>
internal sealed record SymbolSearch(string Ticker, string TickerPrefix, string Words, string Text, string NamePrefix, bool Fuzzy)
{
    /// <summary>
    /// Below three characters a trigram says nothing (and the index would read every row): fuzzy
    /// matching starts at three.
    /// </summary>
    public const int MinFuzzyLength = 3;

    public static SymbolSearch From(string text)
    {
        var trimmed = text.Trim();
        var ticker = trimmed.ToUpperInvariant();
        var lower = trimmed.ToLowerInvariant();
        return new SymbolSearch(ticker, EscapeLike(ticker) + "%", PrefixQuery(lower), lower, EscapeLike(lower) + "%",
            lower.Length >= MinFuzzyLength);
    }

    /// <summary>Each word of the text as a prefix, all required: "gen ele" is <c>'gen':* &amp; 'ele':*</c>; empty without words.</summary>
    private static string PrefixQuery(string lower)
    {
        var query = new StringBuilder();
        var word = new StringBuilder();
        foreach (var c in lower.Append(' '))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                word.Append(c);
                continue;
            }

            if (word.Length > 0)
            {
                // Only ASCII letters and digits reach here, so the quoted lexeme needs no escaping.
                query.Append(query.Length > 0 ? " & '" : "'").Append(word).Append("':*");
                word.Clear();
            }
        }

        return query.ToString();
    }

    // LIKE's escape character is the backslash; tickers may hold _ (a LIKE wildcard).
    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
