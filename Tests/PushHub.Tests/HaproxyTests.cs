using System.Net.WebSockets;
using System.Text.Json;
using Dapper;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Two identical hubs behind HAProxy, configured by docs/haproxy.cfg (the file docs/operations.md
/// shows): a subscriber through the proxy, its hub stopped with SIGTERM, and the subscriber on the
/// other hub with nothing missed. gRPC health answers through the proxy's HTTP/2 frontend.
/// </summary>
public sealed class HaproxyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static string ConfigPath => HaproxyProcess.ConfigPath;

    [Fact]
    public void TheConfigurationInTheDocsIsTheOneTested()
    {
        var operations = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "operations.md"));
        Assert.Contains(File.ReadAllText(ConfigPath).Trim(), operations, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubStoppedUnderASubscriber_ItMovesToTheOtherHubThroughTheProxy_NothingMissed()
    {
        await InsertAsync("HAP", 1);
        string[] proxyArgs = ["--Hub:KnownProxies:0=127.0.0.1", "--Hub:DrainTimeout=00:00:05"];
        await using var one = HubProcess.Start(database.ConnectionString, proxyArgs);
        await using var two = HubProcess.Start(database.ConnectionString, proxyArgs);
        await using var proxy = HaproxyProcess.Start([(one.Port, one.GrpcPort), (two.Port, two.GrpcPort)]);
        var (port, grpcPort) = (proxy.Port, proxy.GrpcPort);
        await one.WaitReadyAsync();
        await two.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilAsync(async () => (await TryGetAsync(http, "/healthz/ready")) == System.Net.HttpStatusCode.OK);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        // The proxy's gRPC backends come up on their own checks (rise 2): until then it resets the stream.
        var health = new Health.HealthClient(channel);
        await WaitUntilAsync(async () =>
        {
            try
            {
                return (await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving;
            }
            catch (global::Grpc.Core.RpcException)
            {
                return false;
            }
        });

        var client = await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"));
        await client.SendAsync("""{"op":"subscribe","symbols":["HAP"]}""");
        var seq = (await client.ReceiveUntilAsync(m => m.Is("snapshot", "HAP"))).GetProperty("seq").GetInt64();
        // /metrics is a scrape that may lag a moment behind the session: ask until one hub counts it.
        await WaitUntilAsync(async () => await ConnectionsAsync(one) + await ConnectionsAsync(two) == 1);
        var serving = await ConnectionsAsync(one) == 1 ? one : two;

        await serving.TerminateAsync();
        await client.ReceiveUntilAsync(m => m.Is("reconnect"));
        Assert.Null(await client.ReceiveAsync());
        Assert.Equal((WebSocketCloseStatus)1012, client.CloseStatus);
        await InsertAsync("HAP", 2); // committed while the client is between hubs
        await client.DisposeAsync();

        // As the dashboard does: straight back through the proxy, resuming from the seq held.
        await using var moved = await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"));
        await moved.SendAsync(JsonSerializer.Serialize(new { op = "subscribe", symbols = new[] { "HAP" }, resume = new Dictionary<string, long> { ["HAP"] = seq } }));
        var missed = await moved.ReceiveUntilAsync(m => m.Is("delta", "HAP"));
        Assert.Equal(seq + 1, missed.GetProperty("seq").GetInt64());
        Assert.Equal(2m, missed.GetProperty("price").GetDecimal());
        Assert.True(await serving.WaitForExitAsync(TimeSpan.FromSeconds(30)), serving.Output);
        var other = serving == one ? two : one;
        await WaitUntilAsync(async () => await ConnectionsAsync(other) == 1);
        Assert.Equal(1, await ConnectionsAsync(other));
    }

    private async Task InsertAsync(string symbol, decimal price)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES (@symbol, @price, 1)", new { symbol, price });
    }

    private static async Task<long> ConnectionsAsync(HubProcess hub)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(hub.HttpUri, "/metrics"));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("ticker_push_connections{", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<System.Net.HttpStatusCode?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            return (await http.GetAsync(path)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(await condition(), "timed out");
    }
}
