using System.Text;
using Dapper;
using Ticker.Ingest.Feeds.Csv;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

public sealed class CsvImporterTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private Task<CsvImportReport> ImportAsync(string csv, BadRowPolicy policy = BadRowPolicy.Reject) =>
        new CsvImporter(_database.DataSource).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), policy);

    private async Task<List<(string Symbol, DateTime Ts, decimal Price, long Size, decimal? Bid, decimal? Ask)>> RowsAsync()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, DateTime, decimal, long, decimal?, decimal?)>(
            "SELECT symbol, ts, price, size, bid, ask FROM ticks ORDER BY id")).ToList();
    }

    [Fact]
    public async Task Import_GoodFileWithHeader_ImportsEveryRow()
    {
        var report = await ImportAsync("""
            symbol,ts,price,size,bid,ask
            AAPL,2026-03-02T14:30:00Z,189.12,100,189.11,189.13
            MSFT,2026-03-02T14:30:01.5+01:00,431.2,5,,
            """);

        Assert.Equal(new CsvImportReport(2, 0, [], false), report with { Errors = [] });
        var rows = await RowsAsync();
        Assert.Equal(("AAPL", new DateTime(2026, 3, 2, 14, 30, 0, DateTimeKind.Utc), 189.12m, 100L, (decimal?)189.11m, (decimal?)189.13m), rows[0]);
        Assert.Equal(("MSFT", new DateTime(2026, 3, 2, 13, 30, 1, 500, DateTimeKind.Utc), 431.2m, 5L, (decimal?)null, (decimal?)null), rows[1]);
    }

    [Fact]
    public async Task Import_NoHeaderCrlfAndBlankLines_ImportsEveryRow()
    {
        var report = await ImportAsync("IBM,2026-03-02T14:30:00Z,221.4,10\r\n\r\nIBM,2026-03-02T14:30:01Z,221.5,20\r\n");

        Assert.Equal(2, report.Imported);
        Assert.Equal(2, (await RowsAsync()).Count);
    }

    private const string MixedFile = """
        symbol,ts,price,size
        AAPL,2026-03-02T14:30:00Z,189.12,100
        AAPL,not-a-time,189.12,100
        AAPL,2026-03-02T14:30:02Z,189.14,100
        AAPL,2026-03-02T14:30:03Z,-1,100
        AAPL,2026-03-02T14:30:04Z,189.15,100
        """;

    [Fact]
    public async Task Import_BadRowsRejectPolicy_ImportsNothingAndReportsEachLine()
    {
        var report = await ImportAsync(MixedFile);

        Assert.True(report.Rejected);
        Assert.Equal(0, report.Imported);
        Assert.Equal(2, report.BadRows);
        Assert.Equal([3L, 5L], report.Errors.Select(e => e.Line));
        Assert.Contains("not an ISO 8601 timestamp", report.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("price must be positive", report.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync());
    }

    [Fact]
    public async Task Import_BadRowsSkipPolicy_ImportsGoodRowsAndReportsBadOnes()
    {
        var report = await ImportAsync(MixedFile, BadRowPolicy.Skip);

        Assert.False(report.Rejected);
        Assert.Equal(3, report.Imported);
        Assert.Equal([3L, 5L], report.Errors.Select(e => e.Line));
        Assert.Equal([189.12m, 189.14m, 189.15m], (await RowsAsync()).Select(r => r.Price));
    }

    [Fact]
    public async Task Import_WrongHeader_ReportedAsLineOne()
    {
        var report = await ImportAsync("symbol,time,price,size\nAAPL,2026-03-02T14:30:00Z,1,1\n");

        Assert.True(report.Rejected);
        Assert.Equal(new CsvRowError(1, "header column 2 is \"time\"; expected \"ts\""), report.Errors.Single());
    }

    [Fact]
    public async Task Import_OverlongAndBinaryGarbage_ReportedNeverThrows()
    {
        var garbage = new byte[20_000];
        new Random(4).NextBytes(garbage);
        var csv = "AAPL,2026-03-02T14:30:00Z,1,1\n" + new string('A', 10_000) + "\n" + Encoding.Latin1.GetString(garbage) + "\nAAPL,2026-03-02T14:30:01Z,2,1\n";

        var report = await ImportAsync(csv, BadRowPolicy.Skip);

        Assert.Equal(2, report.Imported);
        Assert.Equal(2, report.Errors[0].Line);
        Assert.Contains("longer than 4096 bytes", report.Errors[0].Reason, StringComparison.Ordinal);
        Assert.True(report.BadRows >= 2);
    }

    [Fact]
    public async Task Import_ManyBadRows_CountsAllReportsFirstThousand()
    {
        var csv = string.Concat(Enumerable.Repeat("AAPL,2026-03-02T14:30:00Z,0,1\n", 1500));

        var report = await ImportAsync(csv);

        Assert.Equal(1500, report.BadRows);
        Assert.Equal(CsvImporter.MaxReportedErrors, report.Errors.Count);
    }

    [Fact]
    public async Task Import_LargeFile_StreamsIntoOneTransaction()
    {
        var path = Path.GetTempFileName();
        try
        {
            await using (var file = new StreamWriter(path))
            {
                for (var i = 0; i < 200_000; i++)
                {
                    await file.WriteLineAsync($"S{i % 100},2026-03-02T14:30:00Z,{1 + i % 1000}.25,{i}");
                }
            }

            await using var stream = File.OpenRead(path);
            var report = await new CsvImporter(_database.DataSource).ImportAsync(stream, BadRowPolicy.Reject);

            Assert.Equal(200_000, report.Imported);
            await using var connection = await _database.DataSource.OpenConnectionAsync();
            Assert.Equal(200_000, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM ticks"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Command_BadRows_ExitOneWithLineNumbers()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, MixedFile);
        var output = new StringWriter();
        try
        {
            var exit = await CsvImportCommand.RunAsync([path], _database.DataSource, output);

            Assert.Equal(1, exit);
            Assert.Contains($"{path}:3: ts \"not-a-time\"", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("nothing imported", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("AAPL,0001-01-01T00:00:00Z,1,1", "is before 1900-01-01")]
    [InlineData("AAPL,9999-12-31T23:59:59Z,1,1", "ahead of the clock")]
    [InlineData("AAPL,infinity,1,1", "is not an ISO 8601 timestamp")]
    [InlineData("AAPL,03/02/2026,1,1", "ts \"03/02/2026\" is not an ISO 8601 timestamp")]
    public async Task Command_ImpossibleTimestamp_FileLineReasonAndNothingImported(string row, string reason)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, $"symbol,ts,price,size\nAAPL,2026-03-02T14:30:00Z,1,1\n{row}\n");
        var output = new StringWriter();
        try
        {
            var exit = await CsvImportCommand.RunAsync([path], _database.DataSource, output);

            Assert.Equal(1, exit);
            Assert.Contains($"{path}:3: ts ", output.ToString(), StringComparison.Ordinal);
            Assert.Contains(reason, output.ToString(), StringComparison.Ordinal);
            Assert.Empty(await RowsAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(new string[0], 2, "usage")]
    [InlineData(new[] { "a.csv", "--bad-rows=maybe" }, 2, "unknown option --bad-rows=maybe")]
    [InlineData(new[] { "/nonexistent/ticks.csv" }, 2, "cannot read /nonexistent/ticks.csv")]
    public async Task Command_BadArguments_ExitTwoSaysWhy(string[] args, int code, string message)
    {
        var output = new StringWriter();

        var exit = await CsvImportCommand.RunAsync(args, _database.DataSource, output);

        Assert.Equal(code, exit);
        Assert.Contains(message, output.ToString(), StringComparison.Ordinal);
    }
}
