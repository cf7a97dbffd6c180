using System.Diagnostics;

namespace Ticker.Benchmarks;

/// <summary>Auth:Mode=jwt for the benchmarks: the hub's settings, and tokens minted by the hub's own `token` command.</summary>
internal static class BenchTokens
{
    private const string Secret = "bench-secret-bench-secret-bench-secret-01";

    public static readonly string[] HubArgs =
        ["--Auth:Mode=jwt", $"--Auth:Jwt:Secret={Secret}", "--Auth:Jwt:Issuer=ticker-bench", "--Auth:Jwt:Audience=ticker"];

    public static async Task<string> MintAsync(string sub, string symbols)
    {
        var start = new ProcessStartInfo("dotnet",
        [
            BenchHub.Dll, "token", "--sub", sub, "--symbols", symbols, "--scopes", "subscribe", "--ttl", "2h",
            "--Auth:Jwt:Secret", Secret, "--Auth:Jwt:Issuer", "ticker-bench", "--Auth:Jwt:Audience", "ticker",
        ])
        { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var token = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? token : throw new InvalidOperationException("the hub's token command failed");
    }
}
