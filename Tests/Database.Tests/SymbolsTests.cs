using Ticker.Database.Ticks;

namespace Ticker.Database.Tests;

[Trait("Tier", "Fast")]
public sealed class SymbolsTests
{
    [Theory]
    [InlineData("", "symbol is empty")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "longer than 32")]
    [InlineData("aapl", "upper-case")]
    [InlineData("A\u0000B", "upper-case")]
    [InlineData("-AAPL", "upper-case")]
    [InlineData("AAPL\n", "upper-case")]
    public void Explain_BadSymbol_SaysWhy(string symbol, string reason)
    {
        Assert.False(Symbols.IsValid(symbol));
        Assert.Contains(reason, Symbols.Explain(symbol), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_GoodSymbol_Null() => Assert.Null(Symbols.Explain("AAPL"));
}
