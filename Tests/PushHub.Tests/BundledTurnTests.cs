using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay;

namespace Ticker.PushHub.Tests;

/// <summary>The hub runs the relay itself and hands out credentials for it that coturn's own client accepts.</summary>
public sealed class BundledTurnTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private readonly int _turnPort = Ticker.Testing.FreePorts.UdpAndTcp(); // the relay listens on UDP and TCP

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Turn:Enabled"] = "true";
        _hub.Settings["Turn:Port"] = _turnPort.ToString(CultureInfo.InvariantCulture);
        _hub.Settings["Turn:ListeningIp"] = "127.0.0.1";
        _hub.Settings["Turn:AllowLoopbackPeers"] = "true"; // tests only: the echo peer is on loopback
        _hub.Settings["Turn:OnlyAllowedPeers"] = "false"; // the operator's widening: the echo peer is not the hub
        _hub.Settings["Turn:LegacyChannelNumbers"] = "true"; // turnutils_uclient numbers channels as RFC 5766 did
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task TurnCredentials_RelayThroughTheBundledRelayWithCoturnsClient()
    {
        var ice = await _hub.CreateClient().GetFromJsonAsync<JsonElement>("/api/turn-credentials");
        var username = ice.GetProperty("username").GetString()!;
        var credential = ice.GetProperty("credential").GetString()!;
        var secret = _hub.Services.GetRequiredService<IOptions<TurnRelayOptions>>().Value.StaticAuthSecret!;

        Assert.Contains($"turn:localhost:{_turnPort}?transport=udp", ice.GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(600, ice.GetProperty("ttl").GetInt32()); // Auth:Mode=none: anyone may ask, so the credentials are short-lived
        Assert.Equal(TurnRestCredentials.ComputePassword(secret, username), credential);

        var peerPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        using var peer = Process.Start(new ProcessStartInfo(Tool("turnutils_peer"), ["-L", "127.0.0.1", "-p", $"{peerPort}"]) { RedirectStandardOutput = true })!;
        try
        {
            await Task.Delay(300);
            var output = await RunAsync(Tool("turnutils_uclient"),
                ["-u", username, "-w", credential, "-e", "127.0.0.1", "-r", $"{peerPort}", "-p", $"{_turnPort}", "-m", "2", "-n", "20", "-l", "100", "127.0.0.1"]);

            Assert.Matches(@"tot_send_msgs=40, tot_recv_msgs=40", output);
            Assert.Contains("Total lost packets 0", output, StringComparison.Ordinal);
        }
        finally
        {
            peer.Kill();
        }
    }

    [Fact]
    public async Task TurnCredentials_RelayOff_404()
    {
        _hub.Settings["Turn:Enabled"] = "false";

        var response = await _hub.CreateClient().GetAsync("/api/turn-credentials");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string Tool(string name) =>
        File.Exists($"/usr/bin/{name}") ? $"/usr/bin/{name}" : throw new InvalidOperationException($"{name} not found: install the Debian package coturn (make deps)");

    private static async Task<string> RunAsync(string tool, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return await output + await errors;
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, type, protocol);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
