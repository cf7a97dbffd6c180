using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Ticker.PushHub.WebRtc;

namespace Ticker.PushHub.Tests;

/// <summary>An ICE-lite hub sends no checks of its own: a browser that stops sending them is gone (RFC 7675).</summary>
public sealed class WebRtcConsentTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["WebRtc:ConsentTimeout"] = "00:00:02";
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task PeerGoesSilentAfterAValidCheck_SessionEndsAndTheSubscriberIsTold()
    {
        var server = _hub.Services.GetRequiredService<WebRtcServer>();
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync(JsonSerializer.Serialize(new { op = "rtc-offer", sdp = WebRtcSignalingTests.Offer, id = 1 }));
        var sdp = (await client.ReceiveUntilAsync(m => m.Is("rtc-answer"))).GetProperty("sdp").GetString()!;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(WebRtcSignalingTests.BindingRequest(
            Regex.Match(sdp, @"a=ice-ufrag:(\S+)").Groups[1].Value, WebRtcSignalingTests.BrowserUfrag,
            Regex.Match(sdp, @"a=ice-pwd:(\S+)").Groups[1].Value), server.Candidates[0]);
        using var answered = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await udp.ReceiveAsync(answered.Token); // the check was answered

        // ... and then nothing more from the "browser".
        var closed = await client.ReceiveUntilAsync(m => m.Is("rtc-closed"));

        Assert.Contains("consent", closed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, server.SessionCount);
    }
}
