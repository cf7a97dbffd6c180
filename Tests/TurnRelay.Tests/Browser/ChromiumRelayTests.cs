using System.Text.Json;
using Microsoft.Playwright;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Browser;

/// <summary>
/// Headless Chromium (Debian package chromium): two RTCPeerConnections in one page, relay-only, with
/// this relay as their only ICE server, exchange data-channel messages. Fails if Chromium is missing.
/// </summary>
public sealed class ChromiumRelayTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private const string Script = """
        async (cfg) => {
          const servers = { iceServers: [{ urls: cfg.urls, username: cfg.username, credential: cfg.credential }], iceTransportPolicy: 'relay' };
          const a = new RTCPeerConnection(servers), b = new RTCPeerConnection(servers);
          a.onicecandidate = e => { if (e.candidate) b.addIceCandidate(e.candidate); };
          b.onicecandidate = e => { if (e.candidate) a.addIceCandidate(e.candidate); };
          const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error('timeout: ' + what)), ms));
          const dc = a.createDataChannel('ticks');
          const opened = new Promise(resolve => dc.onopen = resolve);
          const echoed = new Promise(resolve => dc.onmessage = m => resolve(m.data));
          const received = new Promise(resolve => b.ondatachannel = e => {
            e.channel.onmessage = m => { e.channel.send('ack ' + m.data); resolve(m.data); };
          });
          await a.setLocalDescription(await a.createOffer());
          await b.setRemoteDescription(a.localDescription);
          await b.setLocalDescription(await b.createAnswer());
          await a.setRemoteDescription(b.localDescription);
          await Promise.race([opened, timeout(20000, 'data channel open')]);
          dc.send('AAPL 189.12');
          const got = await Promise.race([received, timeout(10000, 'message')]);
          const ack = await Promise.race([echoed, timeout(10000, 'ack')]);
          const stats = await a.getStats();
          let pair = null;
          stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
          if (!pair) stats.forEach(s => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s; });
          const local = pair ? stats.get(pair.localCandidateId) : null;
          const remote = pair ? stats.get(pair.remoteCandidateId) : null;
          a.close(); b.close();
          return JSON.stringify({ got, ack, local: local && local.candidateType, remote: remote && remote.candidateType });
        }
        """;

    public static TheoryData<string> Transports => new() { "udp", "tcp" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task DataChannel_RelayOnlyPeers_ExchangeMessagesThroughRelay(string transport)
    {
        Assert.True(File.Exists(ChromiumPath), "chromium not found: install the Debian package 'chromium' (make deps)");
        await using var server = await TestServer.StartAsync();
        var (username, password) = TurnRestCredentials.Create(TestServer.Secret, "browser", TimeSpan.FromMinutes(10), DateTimeOffset.UtcNow);
        var profile = Directory.CreateTempSubdirectory("ticker-chromium-");
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Timeout = 60_000,
                Args = ChromiumArguments,
            });
            var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
            await page.GotoAsync("about:blank");

            var json = await page.EvaluateAsync<string>(Script, new
            {
                urls = $"turn:127.0.0.1:{server.Port}?transport={transport}",
                username,
                credential = password,
            });

            using var result = JsonDocument.Parse(json);
            Assert.Equal("AAPL 189.12", result.RootElement.GetProperty("got").GetString());
            Assert.Equal("ack AAPL 189.12", result.RootElement.GetProperty("ack").GetString());
            Assert.Equal("relay", result.RootElement.GetProperty("local").GetString());
            Assert.Equal("relay", result.RootElement.GetProperty("remote").GetString());
            Assert.True(server.Server.Metrics.DatagramsRelayed > 0);
            Assert.True(server.Server.Metrics.AllocationsCreated >= 2);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Flags for headless Chromium as root on a server; documented in docs/turn.md. The fresh profile
    /// directory goes through Playwright's userDataDir (it refuses --user-data-dir in Args).
    /// </summary>
    internal static readonly string[] ChromiumArguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];
}
