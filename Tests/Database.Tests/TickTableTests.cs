using Dapper;
using Npgsql;
using Ticker.Testing;

namespace Ticker.Database.Tests;

/// <summary>The table is a public contract: plain SQL inserts are a feed, nonsense is refused by PostgreSQL.</summary>
public sealed class TickTableTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Insert_ThreeColumnsFromSql_GetsIdAndTimestamp()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var row = await connection.QuerySingleAsync<(long Id, DateTime Ts, decimal Price)>(
            "INSERT INTO ticks (symbol, price, size) VALUES ('AAPL', 189.12, 100) RETURNING id, ts, price");

        Assert.True(row.Id > 0);
        Assert.Equal(189.12m, row.Price);
        Assert.InRange(row.Ts, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
    }

    [Theory]
    [InlineData("''", "189.12", "100", "ticks_symbol_format")]
    [InlineData("'THIS_SYMBOL_IS_FAR_TOO_LONG_FOR_ANY_EXCHANGE'", "1", "1", "ticks_symbol_format")]
    [InlineData("'aapl'", "1", "1", "ticks_symbol_format")]
    [InlineData("'AA PL'", "1", "1", "ticks_symbol_format")]
    [InlineData("'AAPL'", "0", "1", "ticks_price_positive")]
    [InlineData("'AAPL'", "-3.5", "1", "ticks_price_positive")]
    [InlineData("'AAPL'", "1", "-1", "ticks_size_not_negative")]
    public async Task Insert_Nonsense_RefusedByNamedConstraint(string symbol, string price, string size, string constraint)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync($"INSERT INTO ticks (symbol, price, size) VALUES ({symbol}, {price}, {size})"));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal(constraint, error.ConstraintName);
    }

    [Theory]
    [InlineData("bid")]
    [InlineData("ask")]
    public async Task Insert_NonPositiveQuote_Refused(string column)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync($"INSERT INTO ticks (symbol, price, size, {column}) VALUES ('MSFT', 1, 1, 0)"));

        Assert.Equal($"ticks_{column}_positive", error.ConstraintName);
    }

    [Theory]
    [InlineData("BRK.B")]
    [InlineData("BTC-USD")]
    [InlineData("EUR/USD")]
    [InlineData("ES=F")]
    [InlineData("^GSPC")]
    public async Task Insert_RealWorldSymbolShapes_Accepted(string symbol)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var inserted = await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES (@symbol, 1.5, 10)", new { symbol });

        Assert.Equal(1, inserted);
        Assert.True(Ticks.Symbols.IsValid(symbol));
    }

    [Theory]
    [InlineData("'infinity'", "ticks_ts_sane")]
    [InlineData("'-infinity'", "ticks_ts_sane")]
    [InlineData("'0001-01-01 00:00:00+00'", "ticks_ts_sane")]
    [InlineData("'1899-12-31 23:59:59+00'", "ticks_ts_sane")]
    [InlineData("now() + interval '1 day'", "ticks_ts_not_future")]
    [InlineData("clock_timestamp() + interval '2 minutes'", "ticks_ts_not_future")]
    public async Task Insert_ImpossibleTimestamp_RefusedByNamedConstraint(string ts, string constraint)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync($"INSERT INTO ticks (symbol, ts, price, size) VALUES ('TSBAD', {ts}, 1, 1)"));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal(constraint, error.ConstraintName);
    }

    [Fact]
    public async Task Insert_WithinClockSkewAndOldHistory_Accepted()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var inserted = await connection.ExecuteAsync("""
            INSERT INTO ticks (symbol, ts, price, size) VALUES
                ('TSOK', clock_timestamp() + interval '30 seconds', 1, 1),
                ('TSOK', '1900-01-01 00:00:00+00', 1, 1)
            """);

        Assert.Equal(2, inserted);
    }

    [Fact]
    public async Task Insert_FutureSkewSetting_WidensTheAllowance()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL ticker.max_future_skew = '1 hour'", transaction: transaction);

        var inserted = await connection.ExecuteAsync(
            "INSERT INTO ticks (symbol, ts, price, size) VALUES ('TSOK', clock_timestamp() + interval '30 minutes', 1, 1)", transaction: transaction);

        Assert.Equal(1, inserted);
    }
}
