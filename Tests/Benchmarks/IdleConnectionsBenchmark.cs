using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;

namespace Ticker.Benchmarks;

/// <summary>
/// Idle connections: the hub (feed off) in its own process; N WebSockets that connect, send
/// nothing and read nothing. Reports the hub's working set before and after, per connection.
/// </summary>
internal static class IdleConnectionsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        await using var database = await BenchDatabase.CreateAsync("ticker_bench_idle");
        var port = FanOutBenchmark.FreePort();
        var start = new ProcessStartInfo("dotnet",
        [
            Path.Combine(Testing.RepositoryRoot.Path, "PushHub/bin/Release/net10.0/Ticker.PushHub.dll"), "--urls", $"http://127.0.0.1:{port}",
            "--Feed:Enabled=false", "--Ingest:SlotName=bench_idle", "--Hub:MaxConnectionsPerAddress=100000", "--Logging:LogLevel:Default=Warning",
        ])
        { RedirectStandardOutput = true };
        start.Environment["ConnectionStrings__Ticker"] = database.ConnectionString;
        using var hub = Process.Start(start)!;
        hub.OutputDataReceived += (_, _) => { };
        hub.BeginOutputReadLine();
        var sockets = new List<ClientWebSocket>(count);
        try
        {
            using (var http = new HttpClient())
            {
                for (var i = 0; i < 600 && !await Healthy(http, port); i++)
                {
                    await Task.Delay(100);
                }

                // Touch the WebSocket path once so its code is loaded before the baseline.
                using var warm = new ClientWebSocket();
                await warm.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), CancellationToken.None);
                await warm.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }

            await Task.Delay(2000);
            var before = WorkingSet(hub);
            for (var i = 0; i < count; i++)
            {
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), CancellationToken.None);
                sockets.Add(socket);
            }

            await Task.Delay(5000);
            var after = WorkingSet(hub);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"idle: {count:N0} idle WebSockets: hub working set {before / 1048576.0:N0} MiB -> {after / 1048576.0:N0} MiB, {(after - before) / 1024.0 / count:F1} KiB per connection (target < 16 KiB)"));
        }
        finally
        {
            hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        return 0;
    }

    private static long WorkingSet(Process process)
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    private static async Task<bool> Healthy(HttpClient http, int port)
    {
        try
        {
            return (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
