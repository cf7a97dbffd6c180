using System.Net;
using System.Text.Json;
using Dapper;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ticker.Database;
using Ticker.Database.Migrations;
using Ticker.Ingest.Pipeline;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Readiness tells the truth: every check is named with its status, and a hub whose PostgreSQL
/// stops is not ready within seconds (HTTP and grpc.health.v1), then ready again, having lost nothing.
/// </summary>
public sealed class HealthTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    [Fact]
    public async Task Ready_EveryCheckNamedAndHealthy()
    {
        await hub.Services.GetRequiredService<TickPipeline>().Started;
        using var http = hub.CreateClient();

        var (status, body) = await GetAsync(http, "/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks");
        Assert.Equal(["auth", "change-stream", "drain", "postgresql"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
        Assert.Equal("replication", checks.GetProperty("change-stream").GetProperty("data").GetProperty("source").GetString());
        // Auth:Mode=none: the detail says the hub is open to anyone.
        Assert.Contains("open", checks.GetProperty("auth").GetProperty("description").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Live_OnlyTheProcess_AndHealthzIsReadiness()
    {
        using var http = hub.CreateClient();

        var (liveStatus, live) = await GetAsync(http, "/healthz/live");
        var (_, legacy) = await GetAsync(http, "/healthz");

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal(["process"], live.GetProperty("checks").EnumerateObject().Select(c => c.Name));
        Assert.True(legacy.GetProperty("checks").TryGetProperty("postgresql", out _));
    }

    [Fact]
    public async Task PostgresStopped_NotReadyWithinFiveSeconds_ReadyAgainAfterRestart_NothingLost()
    {
        // A cluster of this test's own: stopping the shared one would break the tests running beside it.
        var cluster = new PrivateCluster("pg-health-test");
        var name = $"health_{Guid.NewGuid():N}"[..24];
        var connectionString = await cluster.CreateDatabaseAsync(name);
        try
        {
            await using (var dataSource = TickerDataSource.Create(connectionString))
            {
                await new DatabaseMigrator(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            }

            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            {
                b.UseSetting("ConnectionStrings:Ticker", connectionString);
                b.UseSetting("Feed:Enabled", "false");
                b.UseSetting("Turn:Enabled", "false");
                b.UseSetting("WebRtc:Port", "0");
                b.UseSetting("WebRtc:ListenAddress", "127.0.0.1");
            });
            using var http = factory.CreateClient();
            using var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
            var grpc = new Health.HealthClient(channel);
            await factory.Services.GetRequiredService<TickPipeline>().Started;
            await InsertAsync(connectionString, 1);
            await WaitUntilAsync(async () => (await http.GetAsync("/healthz/ready")).IsSuccessStatusCode, TimeSpan.FromMinutes(1));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await grpc.CheckAsync(new HealthCheckRequest())).Status);

            await cluster.StopAsync();
            var (status, body) = await WaitForStatusAsync(http, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await grpc.CheckAsync(new HealthCheckRequest())).Status);

            // Committed while the hub is still reconnecting: the hub must count these too.
            await cluster.StartAsync();
            await InsertAsync(connectionString, 2);
            await WaitUntilAsync(async () => (await http.GetAsync("/healthz/ready")).IsSuccessStatusCode, TimeSpan.FromMinutes(1));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await grpc.CheckAsync(new HealthCheckRequest())).Status);
            await InsertAsync(connectionString, 3);

            var book = factory.Services.GetRequiredService<TickPipeline>().Book;
            await WaitUntilAsync(() => Task.FromResult(book.TryGet("HLTH", out var q) && q.Seq >= 30), TimeSpan.FromMinutes(1));
            Assert.True(book.TryGet("HLTH", out var quote));
            Assert.Equal((30L, 310m), (quote.Seq, quote.Last));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.DropDatabaseAsync(name);
            await cluster.StopAsync();
        }
    }

    /// <summary>Ten ticks of HLTH in one transaction, the last priced 100 × <paramref name="round"/> + 10.</summary>
    private static async Task InsertAsync(string connectionString, int round)
    {
        // Unpooled: a pooled connection from before the restart is dead.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO ticks (symbol, price, size, ts) SELECT 'HLTH', 100 * @round + i, 1, now() + i * interval '1 ms' FROM generate_series(1, 10) i",
            new { round });
    }

    private static async Task<(HttpStatusCode, JsonElement)> WaitForStatusAsync(HttpClient http, HttpStatusCode wanted, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var (status, body) = await GetAsync(http, "/healthz/ready");
            if (status == wanted || DateTime.UtcNow > deadline)
            {
                return (status, body);
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }
}
