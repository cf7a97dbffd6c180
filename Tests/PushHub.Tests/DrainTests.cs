using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using Ticker.PushHub.Grpc.V1;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// A real hub process stopped as an orchestrator stops it: SIGTERM makes it tell every client to go
/// elsewhere (WebSocket: reconnect, then close 1012; gRPC: UNAVAILABLE) and exit within
/// Hub:DrainTimeout; kill -9 leaves nothing on the server that holds WAL.
/// </summary>
public sealed class DrainTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private async Task InsertAsync(string symbol, decimal price)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES (@symbol, @price, 1)", new { symbol, price });
    }

    [Fact]
    public async Task SigTerm_WebSocketGetsReconnectAnd1012_GrpcGetsUnavailable_ProcessExitsWithinDrainTimeout()
    {
        await InsertAsync("DRAIN", 10m);
        await using var hub = HubProcess.Start(database.ConnectionString,
            [$"--Hub:DrainTimeout={DrainTimeout}", "--Logging:Console:FormatterName=json"]);
        await hub.WaitReadyAsync();
        await using var ws = await WsClient.ConnectAsync(hub.WebSocketUri);
        await ws.SendAsync("""{"op":"subscribe","symbols":["DRAIN"]}""");
        await ws.ReceiveUntilAsync(m => m.GetProperty("type").GetString() == "snapshot");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{hub.GrpcPort}");
        using var call = new TickerService.TickerServiceClient(channel).Subscribe(new SubscribeRequest { Symbols = { "DRAIN" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var stopping = Stopwatch.StartNew();
        await hub.TerminateAsync();

        var reconnect = await ws.ReceiveUntilAsync(m => m.GetProperty("type").GetString() is "reconnect");
        Assert.Equal("service restart", reconnect.GetProperty("reason").GetString());
        Assert.Null(await ws.ReceiveAsync());
        Assert.Equal((WebSocketCloseStatus)1012, ws.CloseStatus);
        Assert.Equal("service restart", ws.Socket.CloseStatusDescription);
        var ended = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.True(StatusCode.Unavailable == ended.StatusCode, hub.Output);
        Assert.True(await hub.WaitForExitAsync(DrainTimeout + TimeSpan.FromSeconds(30)), hub.Output);
        Assert.True(stopping.Elapsed < DrainTimeout, $"exited after {stopping.Elapsed}");
        Assert.Equal(0, hub.ExitCode);
        // The logs are JSON, one object per line; the drain's own line says how many sessions it asked to leave.
        var drained = hub.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(l => l.GetProperty("EventId").GetInt32() == 480);
        Assert.Equal(2, drained.GetProperty("State").GetProperty("Sessions").GetInt32());
    }

    [Fact]
    public async Task KillMinus9_TheHubsSlotIsGone()
    {
        await using var hub = HubProcess.Start(database.ConnectionString, []);
        await hub.WaitReadyAsync();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        const string Slots = "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()";
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(Slots));

        hub.KillHard();

        for (var i = 0; i < 600 && await connection.ExecuteScalarAsync<long>(Slots) > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(Slots));
    }
}
