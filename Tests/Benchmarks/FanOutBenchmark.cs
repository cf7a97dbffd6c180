using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Ticker.Ingest.Feeds.Simulated;

namespace Ticker.Benchmarks;

/// <summary>
/// Fan-out: a feed over 100 symbols, N WebSocket clients each subscribed to all 100, in this
/// process; the hub in its own process. Reports updates delivered per second, how many were merged,
/// and tick time → client receipt latency. <c>signalr</c> runs the same load against a plain
/// SignalR hub that broadcasts the same updates; <c>ticker-jwt</c> the hub in Auth:Mode=jwt, each
/// client authenticating first (the push path must not pay for identity).
/// </summary>
internal static class FanOutBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var transport = args.Length > 0 ? args[0] : "ticker";
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 250;
        var clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 30;

        await using var database = await BenchDatabase.CreateAsync("ticker_bench_fanout");
        var port = FreePort();
        using var server = StartServer(transport, database.ConnectionString, port, rate);
        try
        {
            await BenchHub.WaitHealthyAsync(port);
            var recorder = new LatencyRecorder(sampleEvery: 97);
            using var stop = new CancellationTokenSource();
            var token = transport == "ticker-jwt" ? await BenchTokens.MintAsync("bench", "*") : null;
            var connected = transport == "signalr"
                ? await ConnectSignalRAsync(port, clients, recorder, stop.Token)
                : await ConnectWebSocketsAsync(port, clients, recorder, stop.Token, token);

            await Task.Delay(TimeSpan.FromSeconds(5)); // warm-up
            var cpuBefore = server.TotalProcessorTime;
            recorder.Start();
            var stopwatch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var delivered = recorder.Messages / stopwatch.Elapsed.TotalSeconds;
            var merged = recorder.Merged / stopwatch.Elapsed.TotalSeconds;
            server.Refresh();
            var cpu = (server.TotalProcessorTime - cpuBefore).TotalSeconds / stopwatch.Elapsed.TotalSeconds;
            var (p50, p99, p999) = recorder.Percentiles();
            await stop.CancelAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fanout {transport}: feed {rate:N0} ticks/s, {connected:N0} clients x 100 symbols, offered {rate * (double)connected:N0} updates/s: delivered {delivered:N0} msg/s, merged {merged:N0} updates/s, tick -> client p50 {p50:F1} ms p99 {p99:F1} ms p99.9 {p999:F1} ms, server CPU {cpu:F2} cores, server working set {server.WorkingSet64 / 1048576:N0} MiB"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        return 0;
    }

    private static Process StartServer(string transport, string connectionString, int port, int rate)
    {
        var root = Testing.RepositoryRoot.Path;
        var start = transport == "signalr"
            ? new ProcessStartInfo("dotnet", [typeof(FanOutBenchmark).Assembly.Location, "signalr-server", $"http://127.0.0.1:{port}", rate.ToString(CultureInfo.InvariantCulture)])
            : new ProcessStartInfo("dotnet",
            [
                Path.Combine(root, "PushHub/bin/Release/net10.0/Ticker.PushHub.dll"), "--urls", $"http://127.0.0.1:{port}",
                "--Feed:Enabled=true", "--Feed:Symbols=100", $"--Feed:TicksPerSecond={rate}", "--Feed:Seed=3",
                "--Ingest:SlotName=bench_fanout", "--Hub:MaxConnectionsPerAddress=100000", "--Logging:LogLevel:Default=Warning",
                .. transport == "ticker-jwt" ? BenchTokens.HubArgs : [],
            ]);
        start.Environment["ConnectionStrings__Ticker"] = connectionString;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    internal static async Task<int> ConnectWebSocketsAsync(int port, int clients, LatencyRecorder recorder, CancellationToken stop, string? token)
    {
        var auth = token is null ? null : Encoding.UTF8.GetBytes($$"""{"op":"auth","token":"{{token}}"}""");
        var symbols = string.Join(",", new TickGenerator(100, 3).Symbols.Select(s => $"\"{s}\""));
        var subscribe = Encoding.UTF8.GetBytes($$"""{"op":"subscribe","symbols":[{{symbols}}]}""");
        for (var i = 0; i < clients; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws?batch=1"), CancellationToken.None);
            if (auth is not null)
            {
                await socket.SendAsync(auth, WebSocketMessageType.Text, true, CancellationToken.None);
            }

            await socket.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
            _ = Task.Run(async () =>
            {
                var buffer = new byte[16 * 1024];
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var length = 0;
                        ValueWebSocketReceiveResult result;
                        do
                        {
                            if (length == buffer.Length)
                            {
                                Array.Resize(ref buffer, buffer.Length * 2);
                            }

                            result = await socket.ReceiveAsync(buffer.AsMemory(length), stop);
                            length += result.Count;
                        }
                        while (!result.EndOfMessage);

                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            return;
                        }

                        recorder.Record(buffer.AsSpan(0, length));
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or WebSocketException)
                {
                }
                finally
                {
                    socket.Dispose();
                }
            }, CancellationToken.None);
        }

        return clients;
    }

    private static async Task<int> ConnectSignalRAsync(int port, int clients, LatencyRecorder recorder, CancellationToken stop)
    {
        for (var i = 0; i < clients; i++)
        {
            var connection = new HubConnectionBuilder().WithUrl($"http://127.0.0.1:{port}/quotes",
                o => o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets).Build();
            connection.On<string>("delta", json => recorder.Record(Encoding.UTF8.GetBytes(json)));
            await connection.StartAsync(CancellationToken.None);
            stop.Register(() => connection.DisposeAsync().AsTask());
        }

        return clients;
    }

    internal static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
