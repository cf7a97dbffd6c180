using System.Text.Json;

namespace Ticker.PushHub.Tests;

/// <summary>WebRtc:MaxSessionsPerAddress: one address cannot take every data-channel session.</summary>
public sealed class WebRtcSessionsPerAddressTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["WebRtc:MaxSessions"] = "10";
        _hub.Settings["WebRtc:MaxSessionsPerAddress"] = "1";
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task RtcOffer_OverTheCapPerAddress_UnavailableWhileTheHubHasRoom()
    {
        await using var first = await WsClient.ConnectAsync(_ws);
        await using var second = await WsClient.ConnectAsync(_ws);

        Assert.Equal("rtc-answer", (await OfferAsync(first, WebRtcSignalingTests.Offer)).Type());
        var refused = await OfferAsync(second, WebRtcSignalingTests.Offer);
        var replaced = await OfferAsync(first, WebRtcSignalingTests.Offer); // its own session is replaced, not added

        Assert.Equal("unavailable", refused.GetProperty("code").GetString());
        Assert.Contains("WebRtc:MaxSessionsPerAddress", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("rtc-answer", replaced.Type());
    }

    private static async Task<JsonElement> OfferAsync(WsClient client, string sdp)
    {
        await client.SendAsync(JsonSerializer.Serialize(new { op = "rtc-offer", sdp, id = 7 }));
        return await client.ReceiveUntilAsync(m => m.Is("rtc-answer") || m.Is("error"));
    }
}
