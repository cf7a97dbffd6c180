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

    [Fact]
    public async Task HistoryQueryPastTimeout_503AndDeadlineExceededNamingTheSetting()
    {
        _hub.Settings["Database:HistoryStatementTimeout"] = "00:00:00.001";
        await using (var connection = await _hub.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO ticks (symbol, ts, price, size)
                SELECT 'SLOW', TIMESTAMPTZ '2020-01-01 00:00:00+00' + i * interval '1 second', 1 + i % 10, 1 FROM generate_series(1, 300000) i
                """, commandTimeout: 120);
        }

        var http = await _hub.CreateClient().GetAsync("/api/bars?symbol=SLOW&interval=1m&from=2020-01-01&to=2020-01-05");
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(_hub.Server.BaseAddress,
            new global::Grpc.Net.Client.GrpcChannelOptions { HttpHandler = _hub.Server.CreateHandler() });
        var error = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () => await new Ticker.PushHub.Grpc.V1.TickerService.TickerServiceClient(channel).GetBarsAsync(
            new Ticker.PushHub.Grpc.V1.GetBarsRequest
            {
                Symbol = "SLOW", Interval = "1m",
                From = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)),
                To = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 1, 5, 0, 0, 0, TimeSpan.Zero)),
            }));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, http.StatusCode);
        Assert.Contains("Database:HistoryStatementTimeout", await http.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(global::Grpc.Core.StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("Database:HistoryStatementTimeout", error.Status.Detail, StringComparison.Ordinal);
    }
}
