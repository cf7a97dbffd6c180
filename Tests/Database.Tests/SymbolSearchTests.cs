using Ticker.Database.Reference;

namespace Ticker.Database.Tests;

[Trait("Tier", "Fast")]
public sealed class SymbolSearchTests
{
    [Theory]
    [InlineData("aapl", "AAPL", "AAPL%", "'aapl':*", true)]
    [InlineData(" Gen  Ele ", "GEN  ELE", @"GEN  ELE%", "'gen':* & 'ele':*", true)]
    [InlineData("BRK_B", "BRK_B", @"BRK\_B%", "'brk':* & 'b':*", true)]
    [InlineData(@"50%\", @"50%\", @"50\%\\%", "'50':*", true)]
    [InlineData("ge", "GE", "GE%", "'ge':*", false)]
    [InlineData("'&!", "'&!", "'&!%", "", true)]
    public void From_BuildsEscapedParameters(string text, string ticker, string tickerPrefix, string words, bool fuzzy)
    {
        var search = SymbolSearch.From(text);

        Assert.Equal((ticker, tickerPrefix, words, fuzzy), (search.Ticker, search.TickerPrefix, search.Words, search.Fuzzy));
    }
}
