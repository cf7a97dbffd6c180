using System.Diagnostics;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// A bad setting stops the hub at start with a message that names the setting — checked as a user
/// meets it: the real executable, started with the setting on its command line.
/// </summary>
public sealed class ConfigurationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("ConnectionStrings:Ticker", "", "ConnectionStrings:Ticker is not set")]
    [InlineData("ConnectionStrings:Ticker", "Hots=nowhere", "ConnectionStrings:Ticker is not a valid PostgreSQL connection string")]
    [InlineData("Feed:Symbols", "0", "Feed:Symbols must be between 1 and 100000.")]
    [InlineData("Feed:TicksPerSecond", "-5", "Feed:TicksPerSecond must be between 1 and 1000000.")]
    [InlineData("Ingest:Source", "carrier-pigeon", "Ingest:Source must be auto, replication or notify.")]
    [InlineData("Hub:MaxMessageBytes", "1", "Hub:MaxMessageBytes must be between 256 and 1048576.")]
    [InlineData("Auth:Mode", "jwt", "Auth:Mode=jwt needs exactly one of Auth:Jwt:Secret, Auth:Jwt:PublicKeysFile or Auth:Jwt:JwksUrl.")]
    [InlineData("Auth:Jwt:Secret", "too-short", "Auth:Jwt:Secret must be at least 32 bytes.")]
    [InlineData("Auth:Timeout", "00:00:00", "Auth:Timeout must be positive.")]
    [InlineData("Ingest:Mode", "broker", "Ingest:Mode must be hub, publisher or edge.")]
    public Task Start_BadSetting_ExitsNamingIt(string key, string value, string message) => StartFailsAsync(message, $"--{key}={value}");

    [Theory]
    [InlineData("edge", "Nats:Stream", "TICKER.Q", "Nats:Stream must be 1-32 characters of A-Z, a-z, 0-9, _ and -.")]
    [InlineData("publisher", "Nats:Url", "http://127.0.0.1:4222", "Nats:Url must be a nats://, tls://, ws:// or wss:// address")]
    [InlineData("publisher", "Nats:MaxAge", "-00:00:01", "Nats:MaxAge must be between 00:00:00 (no limit) and 3650 days.")]
    [InlineData("edge", "Nats:DuplicateWindow", "00:00:00", "Nats:DuplicateWindow must be between 00:00:01 and 1.00:00:00.")]
    public Task Start_BadBrokerSetting_ExitsNamingIt(string mode, string key, string value, string message) =>
        StartFailsAsync(message, $"--Ingest:Mode={mode}", $"--{key}={value}");

    private async Task StartFailsAsync(string message, params string[] settings)
    {
        var key = settings[^1][2..settings[^1].IndexOf('=', StringComparison.Ordinal)];
        var hub = Path.Combine(AppContext.BaseDirectory, "Ticker.PushHub.dll");
        var start = new ProcessStartInfo("dotnet", [hub, "--urls", "http://127.0.0.1:0", "--Turn:Enabled=false", "--WebRtc:Port=0", "--Feed:Enabled=false", .. settings])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Ticker"] = key.StartsWith("ConnectionStrings", StringComparison.Ordinal) ? null : database.ConnectionString;
        start.Environment["Ingest__SlotName"] = database.Name;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(patience.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(message, await output + await errors, StringComparison.Ordinal);
    }
}
