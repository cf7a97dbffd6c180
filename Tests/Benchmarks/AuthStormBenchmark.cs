using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Ticker.Benchmarks;

/// <summary>
/// N WebSockets authenticating at once against a hub in Auth:Mode=jwt with its feed running: each
/// connects, sends its auth message and a subscribe, and the time from connect to its first
/// snapshot is recorded. Reports how many succeeded and the p50 / p99 / max.
/// </summary>
internal static class AuthStormBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var connections = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        await using var database = await BenchDatabase.CreateAsync("ticker_bench_auth");
        var port = FanOutBenchmark.FreePort();
        using var server = BenchHub.Start(database.ConnectionString,
        [
            "--urls", $"http://127.0.0.1:{port}", "--Feed:Enabled=true", "--Feed:Symbols=100", "--Feed:TicksPerSecond=250", "--Feed:Seed=3",
            "--Turn:Enabled=false", "--Ingest:SlotName=bench_auth", "--Hub:MaxConnectionsPerAddress=100000", "--Logging:LogLevel:Default=Warning",
            "--Auth:Timeout=00:01:00", .. BenchTokens.HubArgs,
        ]);
        try
        {
            await BenchHub.WaitHealthyAsync(port);
            var token = await BenchTokens.MintAsync("bench", "*");
            await Task.Delay(TimeSpan.FromSeconds(3)); // the feed has produced quotes
            var auth = Encoding.UTF8.GetBytes($$"""{"op":"auth","token":"{{token}}"}""");
            var subscribe = Encoding.UTF8.GetBytes("""{"op":"subscribe","symbols":["*"]}""");
            var sockets = new List<ClientWebSocket>(connections);
            var all = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
            {
                var socket = new ClientWebSocket();
                lock (sockets)
                {
                    sockets.Add(socket);
                }

                var watch = Stopwatch.StartNew();
                try
                {
                    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), patience.Token);
                    await socket.SendAsync(auth, WebSocketMessageType.Text, true, patience.Token);
                    await socket.SendAsync(subscribe, WebSocketMessageType.Text, true, patience.Token);
                    var buffer = new byte[64 * 1024];
                    while (true)
                    {
                        var result = await socket.ReceiveAsync(buffer, patience.Token);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            return (double?)null;
                        }

                        if (buffer.AsSpan(0, result.Count).IndexOf("\"snapshot\""u8) >= 0)
                        {
                            return watch.Elapsed.TotalMilliseconds;
                        }
                    }
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    return null;
                }
            }));
            var elapsed = all.Elapsed;
            var times = results.OfType<double>().Order().ToArray();
            double At(double q) => times.Length == 0 ? double.NaN : times[Math.Min(times.Length - 1, (int)Math.Ceiling(q * times.Length) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"auth-storm: {connections:N0} WebSockets authenticating at once (jwt, HS256): {times.Length:N0} reached a snapshot, {connections - times.Length:N0} failed; connect -> first snapshot p50 {At(0.5):F0} ms p99 {At(0.99):F0} ms max {At(1):F0} ms; all in {elapsed.TotalSeconds:F1} s"));
            foreach (var socket in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }

            return times.Length == connections ? 0 : 1;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
