using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Positions across hubs and time: the retention command run while a hub serves, a hub started
/// after it numbering the same; and a truncate under a running hub, whose subscribers are reset
/// into the new epoch when its pipeline next reads its state.
/// </summary>
public sealed class EpochAcrossHubsTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql);
    }

    private static async Task<List<JsonElement>> SubscribeAsync(WsClient client, string subscribe)
    {
        await client.SendAsync(subscribe);
        await client.SendAsync("""{"op":"ping","id":"barrier"}""");
        var messages = new List<JsonElement>();
        while (await client.ReceiveUntilAsync(m => !m.Is("heartbeat")) is var message && !message.Is("pong"))
        {
            messages.Add(message);
        }

        return messages;
    }

    private async Task<(int Code, string Output)> RunCommandAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Ticker.PushHub.dll"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Ticker"] = _database.ConnectionString;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    [Fact]
    public async Task RetentionCommand_WhileHubServes_LaterHubResumesSamePosition()
    {
        await ExecuteAsync("""
            INSERT INTO ticks (symbol, ts, price, size) SELECT 'LIVE', now() - interval '40 days' + i * interval '1 second', i, 1 FROM generate_series(1, 5) i;
            INSERT INTO ticks (symbol, price, size) VALUES ('LIVE', 10, 1);
            """);
        await using var one = HubProcess.Start(_database.ConnectionString, []);
        await one.WaitReadyAsync();
        await using var watcher = await WsClient.ConnectAsync(one.WebSocketUri);
        var snapshot = (await SubscribeAsync(watcher, """{"op":"subscribe","symbols":["LIVE"]}""")).Single(m => m.Is("snapshot", "LIVE"));
        var epoch = snapshot.GetProperty("epoch").GetString();
        Assert.Equal(6, snapshot.GetProperty("seq").GetInt64());

        var (code, output) = await RunCommandAsync("retention", "--older-than", "30d");
        await ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('LIVE', 11, 1)");
        var live = await watcher.ReceiveUntilAsync(m => m.Is("delta", "LIVE") || m.Is("reset"));

        Assert.True(code == 0, output);
        Assert.Contains("LIVE: deleted 5 ticks", output, StringComparison.Ordinal);
        Assert.Equal(("delta", 7L), (live.Type(), live.GetProperty("seq").GetInt64()));

        // A hub that starts after the retention counts what is left plus what was removed: the same 7.
        await using var two = HubProcess.Start(_database.ConnectionString, []);
        await two.WaitReadyAsync();
        await using var moved = await WsClient.ConnectAsync(two.WebSocketUri);
        var resumed = await SubscribeAsync(moved, $$"""{"op":"subscribe","symbols":["LIVE"],"resume":{"LIVE":7},"epoch":"{{epoch}}"}""");
        await ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('LIVE', 12, 1)");
        var next = await moved.ReceiveUntilAsync(m => m.Is("delta", "LIVE") || m.Is("reset"));

        Assert.Equal(epoch, resumed.Single(m => m.Is("subscribed")).GetProperty("epoch").GetString());
        Assert.DoesNotContain(resumed, m => m.Is("reset") || m.Is("snapshot"));
        Assert.Equal(("delta", 8L), (next.Type(), next.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Truncate_UnderRunningHub_SubscribersResetIntoTheNewEpoch()
    {
        await ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('TRNC', 1, 1), ('TRNC', 2, 1), ('TRNC', 3, 1)");
        await using var hub = new HubFactory(_database);
        hub.Settings["Ingest:SlotName"] = ""; // a temporary slot: after its connection dies the hub reads its state again
        var ws = await hub.StartOnSocketAsync();
        await using var client = await WsClient.ConnectAsync(ws);
        var snapshot = (await SubscribeAsync(client, """{"op":"subscribe","symbols":["TRNC"]}""")).Single(m => m.Is("snapshot", "TRNC"));
        var before = snapshot.GetProperty("epoch").GetString();

        // A re-import: the table emptied and loaded again while the hub runs.
        await ExecuteAsync("TRUNCATE ticks");
        await ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('TRNC', 50, 1)");
        var streamed = await client.ReceiveUntilAsync(m => m.Is("delta", "TRNC"));
        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'walsender' AND datname = current_database()");
        var reset = await client.ReceiveUntilAsync(m => m.Is("reset", "TRNC"));
        var fresh = await client.ReceiveUntilAsync(m => m.Is("snapshot", "TRNC"));

        var after = await PositionEpoch.ReadAsync(_database.DataSource);
        Assert.Equal(4, streamed.GetProperty("seq").GetInt64()); // the running hub numbers on until it reloads
        Assert.NotEqual(before, after);
        Assert.Equal((after, 1L), (reset.GetProperty("epoch").GetString(), reset.GetProperty("seq").GetInt64()));
        Assert.Equal((after, 1L, 50m), (fresh.GetProperty("epoch").GetString(), fresh.GetProperty("seq").GetInt64(), fresh.GetProperty("price").GetDecimal()));
        Assert.Equal(after, hub.Services.GetRequiredService<TickPipeline>().Epoch);
    }
}
