using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay;
using Ticker.TurnRelay.Stun;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.PushHub.Tests;

/// <summary>
/// The bundled relay by default: only the hub's own ICE endpoint as a peer, a bandwidth cap, and
/// credentials (and so quotas) per caller.
/// </summary>
public sealed class BundledRelayPolicyTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private readonly int _turnPort = Ticker.Testing.FreePorts.UdpAndTcp();
    private readonly int _icePort = Ticker.Testing.FreePorts.UdpAndTcp();
    private Uri _http = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Turn:Enabled"] = "true";
        _hub.Settings["Turn:Port"] = _turnPort.ToString(CultureInfo.InvariantCulture);
        _hub.Settings["Turn:ListeningIp"] = "127.0.0.1";
        _hub.Settings["Turn:UserQuota"] = "1";
        _hub.Settings["WebRtc:Port"] = _icePort.ToString(CultureInfo.InvariantCulture);
        var ws = await _hub.StartOnSocketAsync();
        _http = new Uri(ws.ToString().Replace("ws://", "http://", StringComparison.Ordinal).Replace("/ws", "/", StringComparison.Ordinal));
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task Permission_AnyPeerButTheHubsIceEndpoint_Refused403()
    {
        var (username, credential) = await CredentialsFromAsync(IPAddress.Loopback);
        using var client = RelayClient(username, credential);
        Assert.True(client.Allocate().IsSuccess);

        Assert.True(client.CreatePermission(new IPEndPoint(IPAddress.Loopback, _icePort)).IsSuccess);
        Assert.Equal(StunErrorCode.Forbidden, client.CreatePermission(IPEndPoint.Parse("8.8.8.8:443")).ErrorCode);
        Assert.Equal(StunErrorCode.Forbidden, client.CreatePermission(new IPEndPoint(IPAddress.Loopback, _turnPort)).ErrorCode);
        var turn = _hub.Services.GetRequiredService<IOptions<TurnRelayOptions>>().Value;
        Assert.True(turn.OnlyAllowedPeers);
        Assert.Equal(256 * 1024, turn.MaxBps);
    }

    [Fact]
    public async Task TurnCredentials_TwoCallers_DistinctUsersEachWithItsOwnQuota()
    {
        var (first, firstCredential) = await CredentialsFromAsync(IPAddress.Loopback);
        var (second, secondCredential) = await CredentialsFromAsync(IPAddress.Parse("127.0.0.2"));
        using var one = RelayClient(first, firstCredential);
        using var oneAgain = RelayClient(first, firstCredential);
        using var two = RelayClient(second, secondCredential);

        Assert.EndsWith(":127.0.0.1", first, StringComparison.Ordinal);
        Assert.EndsWith(":127.0.0.2", second, StringComparison.Ordinal);
        Assert.True(one.Allocate().IsSuccess);
        Assert.Equal(StunErrorCode.AllocationQuotaReached, oneAgain.Allocate().ErrorCode); // Turn:UserQuota is 1
        Assert.True(two.Allocate().IsSuccess);
    }

    private TestTurnClient RelayClient(string username, string credential) =>
        new(new IPEndPoint(IPAddress.Loopback, _turnPort), username, credential, "ticker");

    /// <summary>GET /api/turn-credentials over a connection from <paramref name="local"/> (any 127/8 address is this host).</summary>
    private async Task<(string Username, string Credential)> CredentialsFromAsync(IPAddress local)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = _http };
        var ice = await http.GetFromJsonAsync<JsonElement>("/api/turn-credentials");
        return (ice.GetProperty("username").GetString()!, ice.GetProperty("credential").GetString()!);
    }
}
