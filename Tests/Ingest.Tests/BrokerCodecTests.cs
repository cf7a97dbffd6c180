using Ticker.Ingest.Broker;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Tests;

/// <summary>What publishers and edges agree on: a symbol as one subject token, and an update as a message.</summary>
[Trait("Tier", "Fast")]
public sealed class BrokerCodecTests
{
    [Theory]
    [InlineData("AAPL", "AAPL")]
    [InlineData("BRK.B", "BRK_2EB")]
    [InlineData("EUR/USD", "EUR_2FUSD")]
    [InlineData("BTC-USD", "BTC-USD")]
    [InlineData("US:^GSPC", "US_3A_5EGSPC")]
    [InlineData("A_B", "A_5FB")]
    [InlineData("*>. x", "_2A_3E_2E_20x")]
    [InlineData("ÄPFEL", "_C3_84PFEL")]
    public void Subject_EveryByteOutsideLettersDigitsDash_Escaped_RoundTrips(string symbol, string token)
    {
        Assert.Equal(token, QuoteSubjects.Encode(symbol));
        Assert.Equal(symbol, QuoteSubjects.Decode(token));
        Assert.DoesNotContain(token, c => c is '.' or '*' or '>' or ' ');
    }

    [Theory]
    [InlineData("BRK_2")]
    [InlineData("X_")]
    [InlineData("X_ZZ")]
    public void Subject_TruncatedOrBadEscape_Refused(string token) => Assert.Throws<FormatException>(() => QuoteSubjects.Decode(token));

    [Fact]
    public void Subject_TwoSymbolsNeverShareOne()
    {
        // '_' is escaped itself, so "A.B" and a symbol spelled like its token differ.
        Assert.NotEqual(QuoteSubjects.Encode("A.B"), QuoteSubjects.Encode("A_2EB"));
    }

    [Fact]
    public void Message_RoundTrips_EveryField_AndIdNamesEpochSymbolSeq()
    {
        var ts = new DateTimeOffset(2026, 3, 2, 15, 4, 5, 123, TimeSpan.Zero);
        var quote = new Quote("BRK.B", 18231, 189.12m, 189.11m, null, 100, 187.4m, 189.5m, 187.1m, 1203400, ts, ts.Date);
        var update = new QuoteUpdate(quote, QuoteFields.Last | QuoteFields.Bid, ts.AddMilliseconds(2)) { Merged = 3 };

        var decoded = QuoteMessage.Decode(QuoteMessage.Encode(update));

        Assert.Equal(update, decoded);
        Assert.Equal(3, decoded.Merged);
        Assert.Equal("e1:BRK_2EB:18231", QuoteMessage.IdOf("e1", update));
    }

    [Fact]
    public void Options_SubjectOfSymbol_UnderTheStream()
    {
        var options = new NatsOptions { Stream = "QUOTES" };
        Assert.Equal("QUOTES.EUR_2FUSD", options.SubjectOf("EUR/USD"));
        Assert.Equal("QUOTES.>", options.AllSubjects);
    }
}
