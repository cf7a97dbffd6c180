using System.Diagnostics;
using Ticker.TurnRelay.Cli;

namespace Ticker.TurnRelay.Tests.Cli;

public sealed class CoturnCommandLineTests
{
    // The Parse_ tests are fast; the Executable_ ones start a process.
    [Trait("Tier", "Fast")]
    [Fact]
    public void Parse_CommonCoturnFlags_MapOntoTurnSettings()
    {
        var result = CoturnCommandLine.Parse([
            "--listening-port=3479", "-L", "127.0.0.1", "--listening-ip", "::1", "--external-ip=203.0.113.5/10.0.0.5",
            "--min-port=50000", "--max-port", "50100", "--realm=example.org", "--lt-cred-mech", "--user=alice:secret",
            "-u", "bob:0x0123456789abcdef0123456789abcdef", "--use-auth-secret", "--static-auth-secret=s3cret",
            "--allowed-peer-ip=10.0.0.1-10.0.0.9", "--denied-peer-ip=8.8.8.0/24", "--allow-loopback-peers",
            "--no-multicast-peers", "--user-quota=5", "--total-quota=50", "--max-bps=64000", "--stale-nonce", "--fingerprint",
            "--no-tls", "--no-dtls", "--no-cli", "--pidfile=/tmp/x.pid", "--log-file=stdout",
        ]);

        Assert.Null(result.Error);
        Assert.Empty(result.Warnings);
        var v = result.Settings.Values;
        Assert.Equal("3479", v["Turn:Port"]);
        Assert.Equal("127.0.0.1,::1", v["Turn:ListeningIp"]);
        Assert.Equal("203.0.113.5/10.0.0.5", v["Turn:ExternalIp"]);
        Assert.Equal("50000", v["Turn:MinPort"]);
        Assert.Equal("50100", v["Turn:MaxPort"]);
        Assert.Equal("example.org", v["Turn:Realm"]);
        Assert.Equal("secret", v["Turn:Users:alice"]);
        Assert.Equal("0x0123456789abcdef0123456789abcdef", v["Turn:Users:bob"]);
        Assert.Equal("s3cret", v["Turn:StaticAuthSecret"]);
        Assert.Equal("10.0.0.1-10.0.0.9", v["Turn:AllowedPeerIps:0"]);
        Assert.Equal("8.8.8.0/24", v["Turn:DeniedPeerIps:0"]);
        Assert.Equal("true", v["Turn:AllowLoopbackPeers"]);
        Assert.Equal("5", v["Turn:UserQuota"]);
        Assert.Equal("50", v["Turn:TotalQuota"]);
        Assert.Equal("64000", v["Turn:MaxBps"]);
        Assert.Equal("600", v["Turn:StaleNonce"]);
        Assert.Equal("true", v["Turn:Fingerprint"]);
        Assert.Equal("true", v["Turn:NoTls"]);
        Assert.Equal("/tmp/x.pid", result.Settings.PidFile);
    }

    [Trait("Tier", "Fast")]
    [Fact]
    public void Parse_ConfigFile_ReadsNameValueLinesAndCommandLineWins()
    {
        string[] file =
        [
            "# coturn style",
            "listening-port=3480",
            "realm=file.example",
            "lt-cred-mech",
            "user=carol:pw",
            "  fingerprint  ",
            "",
        ];

        var result = CoturnCommandLine.Parse(["-c", "turnserver.conf", "--realm=cli.example"], _ => file);

        Assert.Null(result.Error);
        Assert.Equal("3480", result.Settings.Values["Turn:Port"]);
        Assert.Equal("cli.example", result.Settings.Values["Turn:Realm"]);
        Assert.Equal("pw", result.Settings.Values["Turn:Users:carol"]);
        Assert.Equal("true", result.Settings.Values["Turn:Fingerprint"]);
    }

    [Trait("Tier", "Fast")]
    [Theory]
    [InlineData("--no-such-option", "no-such-option")]
    [InlineData("--listening-portt=1", "listening-portt")]
    [InlineData("-Q", "-Q")]
    [InlineData("stray", "stray")]
    public void Parse_UnknownOption_IsErrorNamingIt(string arg, string named)
    {
        var result = CoturnCommandLine.Parse([arg]);

        Assert.NotNull(result.Error);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
    }

    [Trait("Tier", "Fast")]
    [Fact]
    public void Parse_UnknownOptionInConfigFile_IsErrorNamingIt()
    {
        var result = CoturnCommandLine.Parse(["-c", "f"], _ => ["realm=x", "bogus-thing=1"]);

        Assert.Contains("bogus-thing", result.Error, StringComparison.Ordinal);
    }

    [Trait("Tier", "Fast")]
    [Fact]
    public void Parse_KnownButUnimplementedOption_WarnsNamingIt()
    {
        var result = CoturnCommandLine.Parse(["--prometheus", "--relay-threads=4", "--realm=x"]);

        Assert.Null(result.Error);
        Assert.Contains(result.Warnings, w => w.Contains("prometheus", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("relay-threads", StringComparison.Ordinal));
    }

    [Trait("Tier", "Fast")]
    [Theory]
    [InlineData("--listening-port=abc")]
    [InlineData("--listening-port")]
    [InlineData("--user=nocolon")]
    public void Parse_BadValue_IsError(string arg)
    {
        Assert.NotNull(CoturnCommandLine.Parse([arg]).Error);
    }

    [Fact]
    public async Task Executable_UnknownOption_ExitsWith2NamingIt()
    {
        var (exitCode, output) = await RunExecutableAsync("--definitely-not-coturn");

        Assert.Equal(2, exitCode);
        Assert.Contains("definitely-not-coturn", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executable_NoCredentialsConfigured_FailsValidationNamingSetting()
    {
        var (exitCode, output) = await RunExecutableAsync("-L", "127.0.0.1", "-p", "0", "--no-tls");

        Assert.Equal(2, exitCode);
        Assert.Contains("Turn:Users", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunExecutableAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Ticker.TurnRelay.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
