using Ticker.PushHub.Grpc;

namespace Ticker.PushHub.Tests;

[Trait("Tier", "Fast")]
public sealed class PublisherKeyTests
{
    [Theory]
    [InlineData("feed-secret", "MSFT", true)]
    [InlineData("apple@AAPL", "AAPL", true)]
    [InlineData("apple@AAPL", "AAPLX", false)]
    [InlineData("apple@AAPL, BRK.*", "BRK.B", true)]
    [InlineData("apple@AAPL,BRK.*", "BRK", false)]
    [InlineData("all@*", "ANY", true)]
    public void Allows_SymbolsNamedOrAll(string entry, string symbol, bool allowed) =>
        Assert.Equal(allowed, PublisherKey.Parse(entry).Allows(symbol));

    [Theory]
    [InlineData("user@example.com")] // what follows the @ is not a symbol list: the whole entry is the secret
    [InlineData("p@ss@")]
    [InlineData("@AAPL")]
    public void Parse_SecretContainingAt_StaysWholeForAllSymbols(string entry)
    {
        var key = PublisherKey.Parse(entry);

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(entry)), key.Secret);
        Assert.True(key.Allows("MSFT"));
    }
}
