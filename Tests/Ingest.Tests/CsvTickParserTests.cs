using Ticker.Ingest.Feeds.Csv;

namespace Ticker.Ingest.Tests;

[Trait("Tier", "Fast")]
public sealed class CsvTickParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static (bool Ok, string? Error) Parse(string line)
    {
        var fields = CsvFields.Split(line, out var splitError);
        if (fields is null)
        {
            return (false, splitError);
        }

        var ok = CsvTickParser.TryParse(fields, Now, out _, out var error);
        return (ok, error);
    }

    [Theory]
    [InlineData("AAPL,2026-03-02T14:30:00Z,189.12,100")]
    [InlineData("AAPL,2026-03-02T14:30:00.123456+01:00,189.12,100,189.11,189.13")]
    [InlineData("AAPL,2026-03-02 14:30:00,189.12,0,,")]
    [InlineData("AAPL,2026-03-02,189.12,0")]
    [InlineData("AAPL,2026-03-02T14:30Z,189.12,0")]
    [InlineData("AAPL,2026-03-02T14:30:00-0500,189.12,0")]
    [InlineData("\"BRK.B\",\"2026-03-02T14:30:00Z\",\"462.80\",\"5\"")]
    [InlineData(" MSFT , 2026-03-02T14:30:00Z , 0.00000001 , 1 ")]
    public void TryParse_GoodRow_Parses(string line) => Assert.Equal((true, null), Parse(line));

    [Theory]
    [InlineData("2026-03-02", "2026-03-02T00:00:00Z")]
    [InlineData("2026-03-02 14:30:00", "2026-03-02T14:30:00Z")]
    [InlineData("2026-03-02T14:30:00-0500", "2026-03-02T19:30:00Z")]
    public void TryParse_IsoTimestamp_YearMonthDayUtcUnlessOffset(string ts, string expected)
    {
        Assert.True(CsvTickParser.TryParse(["AAPL", ts, "1", "1"], Now, out var tick, out _));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), tick.Ts);
    }

    [Theory]
    [InlineData("AAPL,2026-03-02T14:30:00Z,189.12", "expected 4 or 6 fields")]
    [InlineData("AAPL,2026-03-02T14:30:00Z,189.12,100,1", "expected 4 or 6 fields")]
    [InlineData(",2026-03-02T14:30:00Z,1,1", "symbol is empty")]
    [InlineData("aapl,2026-03-02T14:30:00Z,1,1", "upper-case")]
    [InlineData("AAPL,yesterday,1,1", "ts \"yesterday\" is not an ISO 8601 timestamp")]
    [InlineData("AAPL,12,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,03/02/2026,1,1", "ts \"03/02/2026\" is not an ISO 8601 timestamp")]
    [InlineData("AAPL,03/02/2026 14:30:00,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,2.3.2026,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,Mon 2 Mar 2026 14:30:00 GMT,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,2026-03-02T14:30:00.123456789Z,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,2026-02-30T00:00:00Z,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,0001-01-01T00:00:00Z,1,1", "ts 0001-01-01T00:00:00.0000000+00:00 is before 1900-01-01")]
    [InlineData("AAPL,1899-12-31T23:59:59Z,1,1", "is before 1900-01-01")]
    [InlineData("AAPL,9999-12-31T23:59:59Z,1,1", "is more than 00:01:00 ahead of the clock")]
    [InlineData("AAPL,2026-11-29T12:02:00Z,1,1", "is more than 00:01:00 ahead of the clock")]
    [InlineData("AAPL,infinity,1,1", "is not an ISO 8601 timestamp")]
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
