using System.Diagnostics;
using System.Globalization;
using Ticker.Testing;

namespace Ticker.Benchmarks;

/// <summary>
/// Tick → subscriber latency, direct mode against broker mode in the same run: one database and one
/// simulated feed; a direct hub, and a publisher → nats-server (JetStream) → edge hub; one WebSocket
/// client on each hub subscribed to every symbol.
/// </summary>
internal static class BrokerLatencyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        await using var database = await BenchDatabase.CreateAsync("ticker_bench_broker");
        await using var nats = await NatsServer.StartNewAsync();
        var (direct, publisher, edge) = (FreePorts.UdpAndTcp(), FreePorts.UdpAndTcp(), FreePorts.UdpAndTcp());
        var processes = new List<Process>
        {
            Start(database.ConnectionString, direct, "hub", nats.Url, "--Feed:Enabled=true", "--Feed:Symbols=100", $"--Feed:TicksPerSecond={rate}", "--Feed:Seed=3"),
            Start(database.ConnectionString, publisher, "publisher", nats.Url),
            Start(database.ConnectionString, edge, "edge", nats.Url),
        };
        try
        {
            foreach (var port in new[] { direct, publisher, edge })
            {
                await BenchHub.WaitHealthyAsync(port);
            }

            using var stop = new CancellationTokenSource();
            var directRecorder = new LatencyRecorder(sampleEvery: 7);
            var edgeRecorder = new LatencyRecorder(sampleEvery: 7);
            await FanOutBenchmark.ConnectWebSocketsAsync(direct, 1, directRecorder, stop.Token, null);
            await FanOutBenchmark.ConnectWebSocketsAsync(edge, 1, edgeRecorder, stop.Token, null);
            await Task.Delay(TimeSpan.FromSeconds(5)); // warm-up
            directRecorder.Start();
            edgeRecorder.Start();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var (d50, d99, _) = directRecorder.Percentiles();
            var (e50, e99, _) = edgeRecorder.Percentiles();
            await stop.CancelAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"broker-latency: feed {rate:N0} ticks/s x 100 symbols, {seconds} s: direct hub {directRecorder.Messages:N0} msgs, tick -> client p50 {d50:F2} ms p99 {d99:F2} ms; via NATS (publisher -> JetStream -> edge) {edgeRecorder.Messages:N0} msgs, p50 {e50:F2} ms p99 {e99:F2} ms; p50 difference {e50 - d50:F2} ms"));
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }

        return 0;
    }

    private static Process Start(string connectionString, int port, string mode, string natsUrl, params string[] extra) =>
        BenchHub.Start(connectionString,
        [
            "--urls", $"http://127.0.0.1:{port}", $"--Hub:GrpcPort={FreePorts.UdpAndTcp()}", "--Turn:Enabled=false", "--WebRtc:Port=0",
            $"--Ingest:Mode={mode}", $"--Nats:Url={natsUrl}", "--Logging:LogLevel:Default=Warning", .. extra,
        ]);
}
