using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Ticker.PushHub.WebRtc;
using Ticker.TurnRelay.Stun;

namespace Ticker.PushHub.Tests;

/// <summary><c>rtc-offer</c> on the WebSocket, and the shared UDP port answering for the sessions it opens.</summary>
public sealed partial class WebRtcSignalingTests : IAsyncLifetime
{
    // The shape of Chromium 156's offer for one data channel (webrtc-notes.md), with fixed credentials.
    internal const string BrowserUfrag = "bRwS";
    private const string BrowserPassword = "browserpassword1234567890";
    internal const string Offer =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        $"a=ice-ufrag:{BrowserUfrag}\r\na=ice-pwd:{BrowserPassword}\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CD:87:32:BE:DD:8C:66:A5:8E:50:55:EA:20:C8:FE:35:4A:02:FA:CF\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["WebRtc:MaxSessions"] = "2";
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    private WebRtcServer Server => _hub.Services.GetRequiredService<WebRtcServer>();

    [Fact]
    public async Task RtcOffer_BrowserOffer_AnsweredAsIceLitePassiveWithTheSharedPort()
    {
        await using var client = await WsClient.ConnectAsync(_ws);

        var answer = await OfferAsync(client, Offer);

        Assert.Equal("rtc-answer", answer.Type());
        Assert.Equal(7, answer.GetProperty("id").GetInt32());
        var sdp = answer.GetProperty("sdp").GetString()!;
        Assert.Contains("a=ice-lite\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("a=mid:0\r\n", sdp, StringComparison.Ordinal);
        Assert.Matches(@"a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\r\n", sdp);
        var port = Server.Candidates[0].Port;
        Assert.Contains($"127.0.0.1 {port} typ host", sdp, StringComparison.Ordinal);
        Assert.Equal(1, Server.SessionCount);
    }

    [Theory]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", "m=application")]
    [InlineData("not sdp at all", "m=application")]
    public async Task RtcOffer_Unusable_BadOfferNamingWhy_ConnectionSurvives(string offer, string mentioned)
    {
        await using var client = await WsClient.ConnectAsync(_ws);

        var error = await OfferAsync(client, offer);
        await client.SendAsync("""{"op":"ping","id":9}""");
        var pong = await client.ReceiveUntilAsync(m => !m.Is("heartbeat"));

        Assert.Equal("bad-offer", error.GetProperty("code").GetString());
        Assert.Contains(mentioned, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("pong", pong.Type());
        Assert.Equal(0, Server.SessionCount);
    }

    [Fact]
    public async Task RtcOffer_WrongFingerprintAlgorithmOrSetup_BadOffer()
    {
        await using var client = await WsClient.ConnectAsync(_ws);

        var sha1 = await OfferAsync(client, Regex.Replace(Offer, "a=fingerprint:sha-256 [^\r]*", "a=fingerprint:sha-1 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CD:87:32:BE:DD:8C:66:A5"));
        var passive = await OfferAsync(client, Offer.Replace("a=setup:actpass", "a=setup:passive", StringComparison.Ordinal));

        Assert.Equal("bad-offer", sha1.GetProperty("code").GetString());
        Assert.Equal("bad-offer", passive.GetProperty("code").GetString());
    }

    [Fact]
    public async Task RtcOffer_BeyondMaxSessions_Unavailable_AndAnewOfferReplacesTheOld()
    {
        await using var first = await WsClient.ConnectAsync(_ws);
        await using var second = await WsClient.ConnectAsync(_ws);
        await using var third = await WsClient.ConnectAsync(_ws);

        Assert.Equal("rtc-answer", (await OfferAsync(first, Offer)).Type());
        Assert.Equal("rtc-answer", (await OfferAsync(first, Offer)).Type()); // replaces its own session
        Assert.Equal("rtc-answer", (await OfferAsync(second, Offer)).Type());
        var refused = await OfferAsync(third, Offer);

        Assert.Equal("unavailable", refused.GetProperty("code").GetString());
        Assert.Equal(2, Server.SessionCount);
    }

    [Fact]
    public async Task WebSocketClosed_SessionEnds()
    {
        var client = await WsClient.ConnectAsync(_ws);
        await OfferAsync(client, Offer);
        Assert.Equal(1, Server.SessionCount);

        await client.DisposeAsync();

        await Eventually(() => Server.SessionCount == 0);
    }

    [Fact]
    public async Task SharedPort_ValidCheckAnswered_GarbageAndStrangersIgnored()
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        var sdp = (await OfferAsync(client, Offer)).GetProperty("sdp").GetString()!;
        var ufrag = Regex.Match(sdp, @"a=ice-ufrag:(\S+)").Groups[1].Value;
        var password = Regex.Match(sdp, @"a=ice-pwd:(\S+)").Groups[1].Value;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        udp.Connect(Server.Candidates[0]);

        // Garbage of every first-byte class, a check for a session that does not exist, a check with the wrong password.
        foreach (var first in new byte[] { 0, 1, 20, 23, 64, 128, 255 })
        {
            await udp.SendAsync(Enumerable.Repeat(first, 100).ToArray());
        }

        await udp.SendAsync(BindingRequest("nobody", BrowserUfrag, password));
        await udp.SendAsync(BindingRequest(ufrag, BrowserUfrag, "wrong-password-wrong-password"));
        await udp.SendAsync(BindingRequest(ufrag, BrowserUfrag, password));

        // Only the valid check is answered with success (a wrong password may get a 401 first).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] response;
        do
        {
            response = (await udp.ReceiveAsync(timeout.Token)).Buffer;
        }
        while (StunMessageReader.TryParse(response, out var r) == StunParseResult.Ok && r.Class == StunClass.ErrorResponse);

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(response, out var reader));
        Assert.Equal(StunClass.SuccessResponse, reader.Class);
        Assert.True(StunIntegrity.VerifySha1(reader, Encoding.UTF8.GetBytes(password)));
        Assert.True(StunFingerprint.Verify(reader));
        Assert.Equal(1, Server.SessionCount);
    }

    private static async Task<JsonElement> OfferAsync(WsClient client, string sdp)
    {
        await client.SendAsync(JsonSerializer.Serialize(new { op = "rtc-offer", sdp, id = 7 }));
        return await client.ReceiveUntilAsync(m => m.Is("rtc-answer") || m.Is("error"));
    }

    internal static byte[] BindingRequest(string localUfrag, string remoteUfrag, string password)
    {
        var buffer = new byte[256];
        var builder = new StunMessageBuilder(buffer, StunMethod.Binding, StunClass.Request, RandomNumberGenerator.GetBytes(12));
        builder.AddString(0x0006, $"{localUfrag}:{remoteUfrag}"); // USERNAME
        builder.AddUInt32(0x0024, 0x6E7F1EFF); // PRIORITY
        builder.AddAttribute(0x802A, RandomNumberGenerator.GetBytes(8)); // ICE-CONTROLLING
        builder.AddAttribute(0x0025, ReadOnlySpan<byte>.Empty); // USE-CANDIDATE
        builder.AddMessageIntegrity(Encoding.UTF8.GetBytes(password));
        builder.AddFingerprint();
        return builder.Written.ToArray();
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 150 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }
}
