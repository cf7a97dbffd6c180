using System.Text;
using Ticker.Database.Reference;
using Ticker.Ingest.Feeds.Csv;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

public sealed class SymbolImporterTests : IAsyncLifetime
{
    private const string Header = "symbol,name,venue,asset_class,currency,time_zone,calendar,tick_size,active";

    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private SymbolDirectory Directory => new(_database.DataSource);

    private Task<SymbolImportReport> ImportAsync(string csv, BadRowPolicy policy = BadRowPolicy.Reject) =>
        new SymbolImporter(Directory).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), policy);

    [Fact]
    public async Task Import_GoodFile_WritesEveryRowAndReplacesOnReimport()
    {
        var report = await ImportAsync($"""
            {Header}
            AAPL,Apple Inc.,XNAS,equity,USD,America/New_York,us-equity,0.01,true
            "BRK.B","Berkshire Hathaway Inc., Class B",XNYS,equity,USD,America/New_York,us-equity,0.01,
            VOD.L,Vodafone Group Plc,XLON,equity,GBP,Europe/London,uk-equity,0.0001,false
            """);
        var again = await ImportAsync($"{Header}\r\nAAPL,Apple Inc.,XNAS,equity,USD,America/New_York,us-equity,0.005,true\r\n");

        Assert.Equal(new SymbolImportReport(3, 3, 0, [], false), report with { Errors = [] });
        Assert.Equal(new SymbolEntry("BRK.B", "Berkshire Hathaway Inc., Class B", "XNYS", "equity", "USD", "America/New_York", "us-equity", 0.01m, true),
            await Directory.GetAsync("BRK.B"));
        Assert.False((await Directory.GetAsync("VOD.L"))!.Active);
        Assert.Equal(1, again.Written);
        Assert.Equal(0.005m, (await Directory.GetAsync("AAPL"))!.TickSize);
        Assert.NotNull(await Directory.GetAsync("VOD.L")); // a file names what it changes; the rest stays
    }

    private const string MixedFile = $"""
        {Header}
        AAPL,Apple Inc.,XNAS,equity,USD,America/New_York,us-equity,0.01,true
        aapl,Apple Inc.,XNAS,equity,USD,America/New_York,us-equity,0.01,true
        MSFT,,XNAS,equity,USD,America/New_York,us-equity,0.01,true

        NVDA,NVIDIA Corporation,Nasdaq GS,equity,USD,America/New_York,us-equity,0.01,true
        AMZN,"Amazon.com, Inc.",XNAS,stock,USD,America/New_York,us-equity,0.01,true
        GOOG,Alphabet Inc.,XNAS,equity,usd,America/New_York,us-equity,0.01,true
        META,Meta Platforms,XNAS,equity,USD,Eastern Standard Time,us-equity,0.01,true
        TSLA,Tesla,XNAS,equity,USD,America/Gotham,us-equity,0.01,true
        IBM,IBM,XNYS,equity,USD,America/New_York,US Equity,0.01,true
        KO,Coca-Cola,XNYS,equity,USD,America/New_York,us-equity,0,true
        PG,Procter,XNYS,equity,USD,America/New_York,us-equity,0.000000001,true
        PEP,PepsiCo,XNAS,equity,USD,America/New_York,us-equity,0.01,yes
        AAPL,Apple again,XNAS,equity,USD,America/New_York,us-equity,0.01,true
        T,AT&T,XNYS,equity,USD,America/New_York,us-equity
        "V,Visa,XNYS,equity,USD,America/New_York,us-equity,0.01,true
        WMT,Walmart Inc.,XNAS,equity,USD,America/New_York,us-equity,0.01,true
        """;

    [Fact]
    public async Task Import_BadRows_EachReportedByLineNothingWritten()
    {
        var report = await ImportAsync(MixedFile);

        Assert.True(report.Rejected);
        Assert.Equal(0, report.Written);
        Assert.Equal(
        [
            (3L, "symbol \"aapl\": symbol must be upper-case letters, digits and . : / ^ = _ - (e.g. AAPL, BRK.B, BTC-USD)"),
            (4, "name is empty"),
            (6, "venue \"Nasdaq GS\" must be 1 to 16 upper-case letters, digits and . _ - (a market identifier code such as XNAS)"),
            (7, "asset_class \"stock\" must be one of equity, etf, fund, index, crypto, fx, future, option, bond, other"),
            (8, "currency \"usd\" must be an ISO 4217 code of three upper-case letters (e.g. USD)"),
            (9, "time_zone \"Eastern Standard Time\" is not an IANA time zone id this machine knows (e.g. America/New_York, Europe/London, UTC)"),
            (10, "time_zone \"America/Gotham\" is not an IANA time zone id this machine knows (e.g. America/New_York, Europe/London, UTC)"),
            (11, "calendar \"US Equity\" must be 1 to 32 lower-case letters, digits and - (e.g. us-equity)"),
            (12, "tick_size \"0\" must be a positive decimal number (e.g. 0.01)"),
            (13, "tick_size 0.000000001 has more than 8 decimal places"),
            (14, "active \"yes\" must be true, false or empty (true)"),
            (15, "symbol AAPL is already listed on line 2"),
            (16, "expected 9 fields (symbol,name,venue,asset_class,currency,time_zone,calendar,tick_size,active), found 7"),
            (17, "a quoted field is not closed"),
        ], report.Errors.Select(e => (e.Line, e.Reason)));
        Assert.Null(await Directory.GetAsync("AAPL"));
    }

    [Fact]
    public async Task Import_BadRowsSkipPolicy_WritesTheGoodRows()
    {
        var report = await ImportAsync(MixedFile, BadRowPolicy.Skip);

        Assert.False(report.Rejected);
        Assert.Equal(14, report.BadRows);
        Assert.Equal(2, report.Written);
        Assert.Equal("Apple Inc.", (await Directory.GetAsync("AAPL"))!.Name); // the first listing, not the duplicate
        Assert.NotNull(await Directory.GetAsync("WMT"));
    }

    [Fact]
    public async Task Import_NoHeader_FirstLineRefused()
    {
        var report = await ImportAsync("AAPL,Apple Inc.,XNAS,equity,USD,America/New_York,us-equity,0.01,true\n");

        Assert.Equal([(1L, $"the first line must be the header {Header}")], report.Errors.Select(e => (e.Line, e.Reason)));
    }

    [Fact]
    public async Task AddShipped_CoversTheSimulatedUniverseAndKeepsImportedEntries()
    {
        await ImportAsync($"{Header}\nAAPL,Apple (imported),XNAS,equity,USD,America/New_York,us-equity,0.01,true\n");

        var added = await new SymbolImporter(Directory).AddShippedAsync();
        var known = Feeds.Simulated.SymbolUniverse.Take(54, new Random(1)).Select(l => l.Symbol).ToList();

        Assert.Equal(53, added);
        Assert.Empty(await Directory.MissingAsync(known));
        Assert.Equal("Apple (imported)", (await Directory.GetAsync("AAPL"))!.Name);
        Assert.Equal("Bitcoin / US Dollar", (await Directory.GetAsync("BTC-USD"))!.Name);
    }

    [Fact]
    public async Task Command_BadFile_PrintsFileLineAndReasonExitsOne()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, $"{Header}\nAAPL,Apple Inc.,XNAS,equity,USD,America/New_York,us-equity,0.01,maybe\n");
        var output = new StringWriter();

        var exit = await SymbolImportCommand.RunAsync([path], _database.DataSource, output);

        File.Delete(path);
        Assert.Equal(1, exit);
        Assert.Equal($"{path}:2: active \"maybe\" must be true, false or empty (true)\n"
            + $"import-symbols: rejected {path}: 1 bad rows, nothing imported (use --bad-rows=skip to import the good rows)\n",
            output.ToString().ReplaceLineEndings("\n"));
    }
}
