using System.Text.RegularExpressions;

namespace Ticker.Database.Ticks;

/// <summary>
/// What a symbol may look like: the same rule as the <c>ticks_symbol_format</c> constraint in
/// <c>0001_ticks.sql</c>, so inputs can be refused with a clear message before reaching SQL.
/// </summary>
public static partial class Symbols
{
    public const int MaxLength = 32;

    public static bool IsValid(ReadOnlySpan<char> symbol) => symbol.Length is > 0 and <= MaxLength && Format().IsMatch(symbol);

    /// <summary>Why <paramref name="symbol"/> is not a symbol, or null when it is one.</summary>
    public static string? Explain(ReadOnlySpan<char> symbol) => symbol switch
    {
        { IsEmpty: true } => "symbol is empty",
        { Length: > MaxLength } => $"symbol is longer than {MaxLength} characters",
        _ when !Format().IsMatch(symbol) => "symbol must be upper-case letters, digits and . : / ^ = _ - (e.g. AAPL, BRK.B, BTC-USD)",
        _ => null,
    };

    // \z, not $: .NET's $ also matches before a final newline, which the constraint's $ does not.
    [GeneratedRegex(@"^[A-Z0-9^][A-Z0-9.:/^=_-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Format();
}
