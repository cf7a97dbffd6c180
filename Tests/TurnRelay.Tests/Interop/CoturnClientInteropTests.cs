using System.Globalization;
using System.Text.RegularExpressions;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Interop;

/// <summary>Our relay against coturn's own clients (Debian package coturn): real peers, real sockets.</summary>
public sealed partial class CoturnClientInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string[]> Modes => new()
    {
        { "UDP, channels, static user", ["-u", TestServer.User, "-w", TestServer.Password] },
        { "UDP, Send indications, static user", ["-s", "-u", TestServer.User, "-w", TestServer.Password] },
        { "TCP, channels, static user", ["-t", "-u", TestServer.User, "-w", TestServer.Password] },
        { "TCP, Send indications, static user", ["-t", "-s", "-u", TestServer.User, "-w", TestServer.Password] },
        { "UDP, channels, REST credentials", ["-W", TestServer.Secret, "-u", "dave"] },
        { "TCP, channels, REST credentials", ["-t", "-W", TestServer.Secret, "-u", "dave"] },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Uclient_LoopbackEchoPeer_RelaysEveryMessage(string mode, string[] credentials)
    {
        // coturn's uclient picks channel numbers from RFC 5766's 0x4000-0x7FFF.
        await using var server = await TestServer.StartAsync(o => o.LegacyChannelNumbers = true);
        var (peer, peerPort) = CoturnTools.StartEchoPeer();
        try
        {
            string[] args = [.. credentials, "-e", "127.0.0.1", "-r", Port(peerPort), "-p", Port(server.Port), "-m", "4", "-n", "50", "-l", "200", "-z", "1", "127.0.0.1"];

            var (exitCode, output) = await CoturnTools.RunAsync("turnutils_uclient", args, Timeout);

            var totals = TotalsRegex().Match(output);
            Assert.True(totals.Success, $"{mode}: no totals in output (exit {exitCode}):\n{output}");
            Assert.Equal(200, int.Parse(totals.Groups["sent"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(200, int.Parse(totals.Groups["received"].Value, CultureInfo.InvariantCulture));
            var lost = LostRegex().Match(output);
            Assert.True(lost.Success, output);
            Assert.Equal("0", lost.Groups["lost"].Value);
            Assert.DoesNotContain("error", output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            peer.Kill();
            peer.Dispose();
        }
    }

    [Fact]
    public async Task Uclient_PrivatePeer_GetsForbidden403()
    {
        await using var server = await TestServer.StartAsync(o => o.LegacyChannelNumbers = true);
        string[] args = ["-u", TestServer.User, "-w", TestServer.Password, "-e", "10.1.2.3", "-r", "3480", "-p", Port(server.Port), "-m", "1", "-n", "3", "-l", "100", "127.0.0.1"];

        var (_, output) = await CoturnTools.RunAsync("turnutils_uclient", args, TimeSpan.FromSeconds(20));

        Assert.Contains("error 403", output, StringComparison.Ordinal);
        Assert.Equal(0, server.Server.Metrics.DatagramsRelayed);
    }

    [Fact]
    public async Task Stunclient_BindingRequest_ReportsReflexiveAddress()
    {
        await using var server = await TestServer.StartAsync();

        var (_, output) = await CoturnTools.RunAsync("turnutils_stunclient", ["-p", Port(server.Port), "127.0.0.1"], TimeSpan.FromSeconds(10));

        Assert.Matches(@"UDP reflexive addr: 127\.0\.0\.1:\d+", output);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"tot_send_msgs=(?<sent>\d+), tot_recv_msgs=(?<received>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TotalsRegex();

    [GeneratedRegex(@"Total lost packets (?<lost>\d+)")]
    private static partial Regex LostRegex();
}
