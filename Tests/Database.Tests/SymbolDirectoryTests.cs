using Dapper;
using Npgsql;
using Ticker.Database.Reference;
using Ticker.Testing;

namespace Ticker.Database.Tests;

public sealed class SymbolDirectoryTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    private SymbolDirectory Directory => new(_database.DataSource);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await Directory.UpsertAsync([
            Equity("AAPL", "Apple Inc."),
            Equity("AAP", "Advance Auto Parts, Inc."),
            Equity("AAPB", "GraniteShares 2x Long AAPL Daily ETF"),
            Equity("APLE", "Apple Hospitality REIT, Inc."),
            Equity("PAPL", "Pineapple Energy Inc."),
            Equity("GE", "General Electric Company"),
            Equity("GEHC", "GE HealthCare Technologies Inc."),
            Equity("GIS", "General Mills, Inc."),
            Equity("MSFT", "Microsoft Corporation"),
            Equity("OLDA", "Apple Old Listing Corp.", active: false),
        ]);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private static SymbolEntry Equity(string symbol, string name, bool active = true) =>
        new(symbol, name, "XNAS", "equity", "USD", "America/New_York", "us-equity", 0.01m, active);

    private async Task<List<string>> SearchAsync(string text, int limit = 20) =>
        (await Directory.SearchAsync(text, limit)).Select(e => e.Symbol).ToList();

    [Fact]
    public async Task Search_Ticker_ExactThenPrefixShortestFirstThenNameWords()
    {
        // AAPL exact; AAPB ticker prefix; then names with a word starting "aapl" (the ETF's name).
        Assert.Equal(["AAPL", "AAPB"], (await SearchAsync("aapl")).Take(2));
        // AAP exact, then AAPB and AAPL (prefix, same length: by ticker).
        Assert.Equal(["AAP", "AAPB", "AAPL"], (await SearchAsync("AAP")).Take(3));
    }

    [Fact]
    public async Task Search_NameWord_NamesStartingWithItFirstInactiveLast()
    {
        var found = await SearchAsync("apple");

        // Word prefix: Apple Inc. and Apple Hospitality start with it (shorter name first); the
        // inactive listing comes after the active ones; Pineapple is only a fuzzy match.
        Assert.Equal(["AAPL", "APLE", "OLDA"], found.Take(3));
        Assert.DoesNotContain("MSFT", found);
    }

    [Fact]
    public async Task Search_SeveralWordPrefixes_AllMustMatch()
    {
        Assert.Equal(["GE"], await SearchAsync("gen ele"));
        // General Electric is a fuzzy match of "general mil", after the word-prefix one.
        Assert.Equal(["GIS", "GE"], await SearchAsync("general mil"));
    }

    [Fact]
    public async Task Search_Misspelt_FindsFuzzyMatches()
    {
        Assert.Contains("MSFT", await SearchAsync("microsft"));
        Assert.Contains("MSFT", await SearchAsync("MSFY"));
    }

    [Fact]
    public async Task Search_LikeWildcardsAndQuotes_AreLiteral()
    {
        Assert.Empty(await SearchAsync("%"));
        Assert.Empty(await SearchAsync("_"));
        Assert.Empty(await SearchAsync("'&!:*"));
    }

    [Fact]
    public async Task Search_Limit_CutsTheRankedList()
    {
        Assert.Equal(["AAP"], await SearchAsync("AAP", limit: 1));
    }

    [Fact]
    public async Task Get_ListedAndUnlisted()
    {
        Assert.Equal(Equity("GE", "General Electric Company"), await Directory.GetAsync("GE"));
        Assert.Null(await Directory.GetAsync("NOPE"));
    }

    [Fact]
    public async Task Missing_ReturnsUnlistedInOrder()
    {
        Assert.Equal(["NEW1", "ZZZ"], await Directory.MissingAsync(["ZZZ", "AAPL", "NEW1", "ZZZ"]));
    }

    [Fact]
    public async Task Upsert_ChangedRowsOnly_AddMissingKeepsListed()
    {
        var changed = await Directory.UpsertAsync([Equity("GE", "GE Aerospace"), Equity("MSFT", "Microsoft Corporation"), Equity("NEW", "New Co")]);
        var added = await Directory.AddMissingAsync([Equity("GE", "Overwritten?"), Equity("NEW2", "Newer Co")]);

        Assert.Equal(2, changed); // GE renamed, NEW added; MSFT unchanged
        Assert.Equal(1, added);
        Assert.Equal("GE Aerospace", (await Directory.GetAsync("GE"))!.Name);
        Assert.Equal(["GE"], await SearchAsync("aerosp"));
    }

    [Fact]
    public async Task Table_RefusesWhatTheImportWouldRefuse()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO symbols (symbol, name, venue, asset_class, currency, time_zone, calendar, tick_size) VALUES ('aapl', 'x', 'XNAS', 'equity', 'USD', 'UTC', 'x', 0.01)"));
        Assert.Equal("symbols_symbol_format", error.ConstraintName);
    }
}
