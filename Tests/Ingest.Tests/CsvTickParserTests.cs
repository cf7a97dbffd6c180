using Ticker.Ingest.Feeds.Csv;

namespace Ticker.Ingest.Tests;

public sealed class CsvTickParserTests
{
    private static (bool Ok, string? Error) Parse(string line)
    {
        var fields = CsvFields.Split(line, out var splitError);
        if (fields is null)
        {
            return (false, splitError);
        }

        var ok = CsvTickParser.TryParse(fields, out _, out var error);
        return (ok, error);
    }

    [Theory]
    [InlineData("AAPL,2026-03-02T14:30:00Z,189.12,100")]
    [InlineData("AAPL,2026-03-02T14:30:00.123456+01:00,189.12,100,189.11,189.13")]
    [InlineData("AAPL,2026-03-02 14:30:00,189.12,0,,")]
    [InlineData("\"BRK.B\",\"2026-03-02T14:30:00Z\",\"462.80\",\"5\"")]
    [InlineData(" MSFT , 2026-03-02T14:30:00Z , 0.00000001 , 1 ")]
    public void TryParse_GoodRow_Parses(string line) => Assert.Equal((true, null), Parse(line));

    [Theory]
    [InlineData("AAPL,2026-03-02T14:30:00Z,189.12", "expected 4 or 6 fields")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,189.12,100,1", "expected 4 or 6 fields")]
    [InlineData(",2026-03-02T14:30:00Z,1,1", "symbol is empty")]
    [InlineData("aapl,2026-03-02T14:30:00Z,1,1", "upper-case")]
    [InlineData("AAPL,yesterday,1,1", "ts \"yesterday\" is not an ISO 8601 timestamp")]
    [InlineData("AAPL,12,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,2026-02-30T00:00:00Z,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,abc,1", "price \"abc\" is not a decimal number")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,1e5,1", "is not a decimal number")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,0,1", "price must be positive")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,-1.5,1", "price must be positive")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,1.123456789,1", "more than 8 decimal places")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,1000000000000,1", "more than 12 digits")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,1,-1", "size must not be negative")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,1,1.5", "size \"1.5\" is not a whole number")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,1,99999999999999999999", "is not a whole number")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,1,1,0,2", "bid must be positive")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,1,1,1,x", "ask \"x\" is not a decimal number")]
    [InlineData("\"AAPL,2026-03-02T14:30:00Z,1,1", "a quoted field is not closed")]
    [InlineData("A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R", "more than 16 fields")]
    public void TryParse_BadRow_SaysWhy(string line, string reason)
    {
        var (ok, error) = Parse(line);

        Assert.False(ok);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("symbol,ts,price,size", null)]
    [InlineData("Symbol , TS,Price,SIZE,bid,ask", null)]
    [InlineData("symbol,time,price,size", "header column 2 is \"time\"; expected \"ts\"")]
    [InlineData("symbol,ts,price", "header has 3 columns")]
    public void ExplainHeader_Header_ChecksColumns(string line, string? expected)
    {
        var fields = CsvFields.Split(line, out _)!;

        var problem = CsvTickParser.ExplainHeader(fields);

        Assert.True(CsvTickParser.IsHeader(fields));
        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        }
    }
}
