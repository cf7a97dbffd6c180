using System.Diagnostics;
using Ticker.Testing;

namespace Ticker.PushHub.Tests.Identity;

/// <summary>An open hub says so: the banner in every case, and a warning naming Auth:Mode when it listens beyond loopback.</summary>
public sealed class OpenModeBannerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Start_OpenBeyondLoopback_BannerSaysOpen_WarningNamesTheSetting()
    {
        var hub = Path.Combine(AppContext.BaseDirectory, "Ticker.PushHub.dll");
        var port = FreePorts.UdpAndTcp();
        var start = new ProcessStartInfo("dotnet", [hub, "--urls", $"http://0.0.0.0:{port}", "--Turn:Enabled=false", "--WebRtc:Port=0", "--Feed:Enabled=false"])
        {
            RedirectStandardOutput = true,
        };
        start.Environment["ConnectionStrings__Ticker"] = database.ConnectionString;
        start.Environment["Ingest__SlotName"] = database.Name;

        using var process = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (await process.StandardOutput.ReadLineAsync(patience.Token) is { } line)
            {
                lines.Add(line);
                if (lines.Exists(l => l.Contains("Ticker identity", StringComparison.Ordinal)) && lines.Exists(l => l.Contains("Auth:Mode is none", StringComparison.Ordinal)))
                {
                    break;
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var output = string.Join('\n', lines);
        Assert.Contains("Ticker identity: OPEN (Auth:Mode=none)", output, StringComparison.Ordinal);
        Assert.Contains($"Auth:Mode is none and the hub listens on http://0.0.0.0:{port}, beyond loopback", output, StringComparison.Ordinal);
    }
}
