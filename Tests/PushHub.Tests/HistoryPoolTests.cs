using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ticker.Database;
using Ticker.Database.Ticks;

namespace Ticker.PushHub.Tests;

/// <summary>
/// History reads run on a pool of their own with a statement timeout, so a heavy history query
/// can neither hold the connections feed writes and the pipeline need nor run unbounded.
/// </summary>
public sealed class HistoryPoolTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Database:HistoryStatementTimeout"] = "00:00:00.2";
        _hub.Settings["Database:HistoryMaxPoolSize"] = "3";
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task HistoryDataSource_OwnPoolWithStatementTimeout_MainPoolUntouched()
    {
        _ = _hub.Server;
        var history = _hub.Services.GetRequiredKeyedService<NpgsqlDataSource>(TickerDataSource.History);
        var main = _hub.Services.GetRequiredService<NpgsqlDataSource>();

        await using var historyConnection = await history.OpenConnectionAsync();
        await using var mainConnection = await main.OpenConnectionAsync();
        var slow = await Assert.ThrowsAsync<PostgresException>(() => historyConnection.ExecuteAsync("SELECT pg_sleep(2)"));

        Assert.NotSame(main, history);
        Assert.Equal(3, new NpgsqlConnectionStringBuilder(history.ConnectionString).MaxPoolSize);
        Assert.Equal("200ms", await historyConnection.ExecuteScalarAsync<string>("SHOW statement_timeout"));
        Assert.Equal("ticker-history", await historyConnection.ExecuteScalarAsync<string>("SHOW application_name"));
        Assert.Equal(PostgresErrorCodes.QueryCanceled, slow.SqlState);
        Assert.Equal("0", await mainConnection.ExecuteScalarAsync<string>("SHOW statement_timeout"));
        Assert.NotSame(_hub.Services.GetRequiredService<TickStore>(), _hub.Services.GetRequiredKeyedService<TickStore>(TickerDataSource.History));
    }
}
