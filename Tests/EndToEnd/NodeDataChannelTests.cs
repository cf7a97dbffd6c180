using System.Diagnostics;
using System.Text.Json;
using Ticker.Testing;

namespace Ticker.EndToEnd;

/// <summary>
/// A second WebRTC implementation nobody here wrote — libdatachannel, through npm's
/// <c>node-datachannel</c> (Tests/EndToEnd/node/peer.mjs) — subscribes through the hub's data channel.
/// </summary>
public sealed class NodeDataChannelTests(WebRtcHost host) : IClassFixture<WebRtcHost>
{
    private static readonly string PeerDirectory = Path.Combine(RepositoryRoot.Path, "Tests", "EndToEnd", "node");

    [Fact]
    public async Task NodeDataChannel_SubscribesOverTheDataChannel_SqlTickArrives()
    {
        await using var peer = await NodePeer.StartAsync(host.BaseAddress, "ORCL");

        var open = await peer.NextAsync(e => e.GetProperty("event").GetString() is "open" or "error");
        Assert.Equal("open", open.GetProperty("event").GetString());

        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('ORCL', 141.07, 100)");
        var quote = await peer.NextAsync(e => e.GetProperty("event").GetString() == "quote" && e.GetProperty("price").GetDecimal() == 141.07m);

        Assert.Equal("webrtc", quote.GetProperty("via").GetString());
        Assert.Equal("ORCL", quote.GetProperty("symbol").GetString());
    }

    [Fact]
    public async Task NodeDataChannel_SymbolGoesQuiet_LastQuoteRepeatedOnTheChannelThenOnTheWebSocket()
    {
        await using var peer = await NodePeer.StartAsync(host.BaseAddress, "XOM");
        Assert.Equal("open", (await peer.NextAsync(e => e.GetProperty("event").GetString() is "open" or "error")).GetProperty("event").GetString());

        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('XOM', 118.25, 100)");
        var overChannel = await peer.NextAsync(e => e.GetProperty("event").GetString() == "quote" && e.GetProperty("price").GetDecimal() == 118.25m);
        // A lost datagram would otherwise leave this price wrong until XOM trades again: the hub repeats it
        // once on the channel, then once reliably on the WebSocket.
        var repeated = await peer.NextAsync(e => e.GetProperty("event").GetString() == "quote");
        var settled = await peer.NextAsync(e => e.GetProperty("event").GetString() == "quote");

        Assert.Equal("webrtc", overChannel.GetProperty("via").GetString());
        Assert.Equal("webrtc", repeated.GetProperty("via").GetString());
        Assert.Equal(overChannel.GetProperty("seq").GetInt64(), repeated.GetProperty("seq").GetInt64());
        Assert.Equal("websocket", settled.GetProperty("via").GetString());
        Assert.Equal(overChannel.GetProperty("seq").GetInt64(), settled.GetProperty("seq").GetInt64());
        Assert.Equal(118.25m, settled.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task NodeDataChannel_WrongFingerprint_SessionEndsNamingIt_OtherPeerUnaffected()
    {
        await using var honest = await NodePeer.StartAsync(host.BaseAddress, "JPM");
        await using var impostor = await NodePeer.StartAsync(host.BaseAddress, "JPM", "--tamper-fingerprint", "yes");

        var refused = await impostor.NextAsync(e => e.GetProperty("event").GetString() is "rtc-closed" or "open");
        Assert.Equal("rtc-closed", refused.GetProperty("event").GetString());
        Assert.Contains("fingerprint", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);

        Assert.Equal("open", (await honest.NextAsync(e => e.GetProperty("event").GetString() is "open" or "error")).GetProperty("event").GetString());
        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('JPM', 201.33, 100)");
        var quote = await honest.NextAsync(e => e.GetProperty("event").GetString() == "quote" && e.GetProperty("price").GetDecimal() == 201.33m);
        Assert.Equal("webrtc", quote.GetProperty("via").GetString());
    }

    [Fact]
    public async Task NodeDataChannel_GarbageSprayedAtTheSharedPort_SessionKeepsDelivering()
    {
        await using var peer = await NodePeer.StartAsync(host.BaseAddress, "WMT");
        Assert.Equal("open", (await peer.NextAsync(e => e.GetProperty("event").GetString() is "open" or "error")).GetProperty("event").GetString());

        // Every first-byte class of RFC 7983 (STUN, DTLS, the rest), whole and truncated, from a stranger's address.
        using (var stranger = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)))
        {
            var random = new Random(6);
            for (var i = 0; i < 5_000; i++)
            {
                var datagram = new byte[random.Next(1, 1500)];
                random.NextBytes(datagram);
                datagram[0] = (byte)(i % 4 == 0 ? random.Next(0, 4) : i % 4 == 1 ? random.Next(20, 64) : random.Next(0, 256));
                await stranger.SendAsync(datagram, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, host.WebRtcPort));
            }
        }

        await host.InsertAsync("INSERT INTO ticks (symbol, price, size) VALUES ('WMT', 70.01, 100)");
        var quote = await peer.NextAsync(e => e.GetProperty("event").GetString() == "quote" && e.GetProperty("price").GetDecimal() == 70.01m);
        Assert.Equal("webrtc", quote.GetProperty("via").GetString());
    }

    /// <summary>peer.mjs as a child process, its JSON lines read as they come.</summary>
    internal sealed class NodePeer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _seen = [];

        private NodePeer(Process process) => _process = process;

        public static Task<NodePeer> StartAsync(Uri hub, string symbols, params string[] options)
        {
            if (!Directory.Exists(Path.Combine(PeerDirectory, "node_modules", "node-datachannel")))
            {
                throw new InvalidOperationException($"node-datachannel is not installed in {PeerDirectory}: run `make deps` (npm ci there).");
            }

            var ws = new UriBuilder(hub) { Scheme = "ws", Path = "/ws" }.Uri;
            var start = new ProcessStartInfo("node", ["peer.mjs", "--url", ws.ToString(), "--symbols", symbols, .. options])
            {
                WorkingDirectory = PeerDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            return Task.FromResult(new NodePeer(Process.Start(start)!));
        }

        /// <summary>The next line matching <paramref name="wanted"/>; fails with everything seen after 30 s.</summary>
        public async Task<JsonElement> NextAsync(Func<JsonElement, bool> wanted)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    _seen.Add(line);
                    var element = JsonDocument.Parse(line).RootElement;
                    if (wanted(element))
                    {
                        return element;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }

            var stderr = _process.HasExited ? await _process.StandardError.ReadToEndAsync() : "";
            throw new Xunit.Sdk.XunitException($"peer.mjs never printed the expected line; it printed:\n{string.Join('\n', _seen)}\n{stderr}");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
