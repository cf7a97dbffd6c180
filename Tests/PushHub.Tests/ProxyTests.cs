using System.Net.WebSockets;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Behind a proxy: X-Forwarded-For names the client only when it comes from an address in
/// Hub:KnownProxies, so the per-address cap counts real clients there and cannot be dodged elsewhere.
/// </summary>
public sealed class ProxyTests
{
    private static async Task<HubFactory> StartAsync(string knownProxy)
    {
        var hub = new HubFactory();
        await hub.InitializeAsync();
        hub.Settings["Hub:MaxConnectionsPerAddress"] = "1";
        hub.Settings["Hub:KnownProxies:0"] = knownProxy;
        return hub;
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri uri, string forwardedFor)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    [Fact]
    public async Task FromAConfiguredProxy_EachForwardedClientHasItsOwnCap()
    {
        var hub = await StartAsync("127.0.0.1");
        try
        {
            var uri = await hub.StartOnSocketAsync();
            using var first = await ConnectAsync(uri, "203.0.113.1");
            using var second = await ConnectAsync(uri, "203.0.113.2");

            var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(uri, "203.0.113.1"));

            Assert.Contains("429", refused.Message, StringComparison.Ordinal);
            Assert.Equal(WebSocketState.Open, second.State);
        }
        finally
        {
            await ((IAsyncLifetime)hub).DisposeAsync();
        }
    }

    [Fact]
    public async Task FromAnUnconfiguredAddress_TheHeaderIsIgnored()
    {
        var hub = await StartAsync("192.0.2.10"); // some other proxy: the test's loopback address is not one
        try
        {
            var uri = await hub.StartOnSocketAsync();
            using var first = await ConnectAsync(uri, "203.0.113.1");

            var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(uri, "203.0.113.2"));

            Assert.Contains("429", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)hub).DisposeAsync();
        }
    }
}
