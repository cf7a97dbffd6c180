using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Dapper;
using Ticker.Database.Ticks;

namespace Ticker.Benchmarks;

/// <summary>
/// Soak (issue 17): the hub in its own process, this process as its feed (2,000 ticks/s over 500
/// symbols, written to PostgreSQL and counted per symbol) and as 1,000 subscribers, 50 of them
/// hostile: flooders (resume-subscribes as fast as the socket takes them, never reading), stallers
/// (subscribe to everything, never read) and reconnect loopers. Samples the hub's working set;
/// at the end stops the feed and checks that PostgreSQL holds every tick written and that every
/// well-behaved subscriber reached each of its symbols' last seq; reports tick ts → receipt lag.
/// </summary>
internal static class SoakBenchmark
{
    private const int SymbolCount = 500;
    private const int SymbolsPerClient = 10;
    private static readonly byte[] SymbolKey = "\"symbol\":\""u8.ToArray();
    private static readonly byte[] SeqKey = "\"seq\":"u8.ToArray();

    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var subscribers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var hostile = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
        var rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2000;
        var symbols = Enumerable.Range(0, SymbolCount).Select(i => $"SK{i:D3}").ToArray();

        await using var database = await BenchDatabase.CreateAsync("ticker_bench_soak");
        var port = FanOutBenchmark.FreePort();
        using var hub = BenchHub.Start(database.ConnectionString,
        [
            "--urls", $"http://127.0.0.1:{port}", "--Feed:Enabled=false", "--Turn:Enabled=false", "--WebRtc:Enabled=false",
            "--Ingest:SlotName=bench_soak", "--Hub:MaxConnectionsPerAddress=100000", "--Hub:StallTimeout=00:00:10",
            "--Logging:LogLevel:Default=Warning",
        ]);
        try
        {
            await BenchHub.WaitHealthyAsync(port);
            using var stop = new CancellationTokenSource();
            var written = new long[SymbolCount];
            var feed = FeedAsync(database, symbols, rate, written, stop.Token);

            var recorder = new LatencyRecorder(sampleEvery: 13);
            var clients = new List<Subscriber>();
            for (var i = 0; i < subscribers - hostile; i++)
            {
                var mine = Enumerable.Range(0, SymbolsPerClient).Select(k => symbols[((i * SymbolsPerClient) + k) % SymbolCount]).ToArray();
                clients.Add(await Subscriber.StartAsync(port, mine, recorder, stop.Token));
            }

            var hostileCounts = new HostileCounts();
            var attackers = Enumerable.Range(0, hostile).Select(i => (i % 3) switch
            {
                0 => FloodAsync(port, symbols, hostileCounts, stop.Token),
                1 => StallAsync(port, hostileCounts, stop.Token),
                _ => ReconnectLoopAsync(port, symbols, hostileCounts, stop.Token),
            }).ToList();

            var duration = TimeSpan.FromMinutes(minutes);
            var warmUp = TimeSpan.FromSeconds(Math.Min(60, duration.TotalSeconds / 5));
            await Task.Delay(warmUp);
            recorder.Start();
            var samples = new List<(double Minutes, long Bytes)>();
            var clock = Stopwatch.StartNew();
            var sampleEvery = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 30, 5, 60));
            while (clock.Elapsed < duration - warmUp)
            {
                hub.Refresh();
                samples.Add(((clock.Elapsed + warmUp).TotalMinutes, hub.WorkingSet64));
                await Task.Delay(sampleEvery);
            }

            var (p50, p99, p999) = recorder.Percentiles();
            var delivered = recorder.Messages / clock.Elapsed.TotalSeconds;

            // The end: the feed stops; every tick written must be in PostgreSQL and reach every subscriber of its symbol.
            await stop.CancelAsync();
            var fed = await feed;
            await Task.WhenAll(attackers);
            var inDatabase = await CountsAsync(database, symbols);
            var lostInDatabase = symbols.Select((s, i) => written[i] - inDatabase.GetValueOrDefault(s)).Sum();
            var deadline = Stopwatch.StartNew();
            int behind;
            do
            {
                behind = clients.Count(c => !c.IsCurrent(symbols, written));
                if (behind > 0)
                {
                    await Task.Delay(500);
                }
            }
            while (behind > 0 && deadline.Elapsed < TimeSpan.FromSeconds(60));

            foreach (var client in clients)
            {
                client.Dispose();
            }

            var steady = samples.Select(s => s.Bytes / 1048576.0).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak: {minutes:F1} min, feed {rate:N0} ticks/s over {SymbolCount} symbols ({written.Sum():N0} written, {fed:N0} ticks/s achieved), {subscribers - hostile} subscribers x {SymbolsPerClient} symbols + {hostile} hostile"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak: delivered {delivered:N0} msg/s; tick ts -> receipt p50 {p50:F1} ms p99 {p99:F1} ms p99.9 {p999:F1} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak: hub working set after warm-up min {steady.DefaultIfEmpty().Min():F0} MiB, max {steady.DefaultIfEmpty().Max():F0} MiB, first {steady.FirstOrDefault():F0} MiB, last {steady.LastOrDefault():F0} MiB"));
            Console.WriteLine("soak: working set (min: MiB) " + string.Join(' ', samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Minutes:F1}:{s.Bytes / 1048576}"))));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak: ticks missing in PostgreSQL {lostInDatabase}; well-behaved subscribers not current 60 s after the feed stopped: {behind} of {clients.Count}; hostile connections made {hostileCounts.Connections:N0}, ended by the hub {hostileCounts.Ended:N0}"));
            return lostInDatabase == 0 && behind == 0 ? 0 : 1;
        }
        finally
        {
            hub.Kill(entireProcessTree: true);
            await hub.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Every 50 ms, the ticks due since the start at <paramref name="rate"/> ticks/s (more per batch
    /// when a write was slow, so the offered rate holds while the database keeps up), round-robin
    /// over the symbols. Returns the rate achieved.
    /// </summary>
    private static async Task<double> FeedAsync(BenchDatabase database, string[] symbols, int rate, long[] written, CancellationToken stop)
    {
        var store = new TickStore(database.DataSource);
        var next = 0;
        var total = 0L;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var due = (long)(clock.Elapsed.TotalSeconds * rate) - total;
                var now = DateTimeOffset.UtcNow;
                var batch = new List<Tick>((int)Math.Max(0, due));
                for (var i = 0; i < due; i++, next = (next + 1) % symbols.Length)
                {
                    batch.Add(new Tick(symbols[next], now, 100 + (next % 13), 1));
                }

                // A failed write is not counted: what is counted must be in the database.
                await store.AppendAsync(batch, CancellationToken.None);
                total += batch.Count;
                foreach (var tick in batch)
                {
                    written[int.Parse(tick.Symbol.AsSpan(2), CultureInfo.InvariantCulture)]++;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return total / clock.Elapsed.TotalSeconds;
    }

    private static async Task<Dictionary<string, long>> CountsAsync(BenchDatabase database, string[] symbols)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Symbol, long Count)>(
            "SELECT symbol, count(*) FROM ticks WHERE symbol = ANY(@symbols) GROUP BY symbol", new { symbols });
        return rows.ToDictionary(r => r.Symbol, r => r.Count);
    }

    /// <summary>Resume-subscribes for 50 symbols as fast as the socket takes them, never reading; again when cut off.</summary>
    private static async Task FloodAsync(int port, string[] symbols, HostileCounts counts, CancellationToken stop)
    {
        var names = symbols.Take(50).ToArray();
        var flood = "{\"op\":\"subscribe\",\"symbols\":[" + string.Join(',', names.Select(s => $"\"{s}\"")) + "],\"resume\":{"
            + string.Join(',', names.Select(s => $"\"{s}\":1")) + "}}";
        await HostileLoopAsync(port, counts, stop, async socket =>
        {
            while (!stop.IsCancellationRequested && await socket.TrySendAsync(flood, stop))
            {
            }
        });
    }

    /// <summary>Subscribes to everything and never reads; a ping a second shows when the hub has ended it.</summary>
    private static async Task StallAsync(int port, HostileCounts counts, CancellationToken stop) =>
        await HostileLoopAsync(port, counts, stop, async socket =>
        {
            if (!await socket.TrySendAsync("""{"op":"subscribe","symbols":["*"]}""", stop))
            {
                return;
            }

            while (!stop.IsCancellationRequested && await socket.TrySendAsync("""{"op":"ping"}""", stop))
            {
                await Task.Delay(1000, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        });

    private static async Task HostileLoopAsync(int port, HostileCounts counts, CancellationToken stop, Func<RawWebSocket, Task> attack)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var socket = await RawWebSocket.ConnectAsync(port, stop);
                Interlocked.Increment(ref counts.Connections);
                await attack(socket);
                if (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref counts.Ended);
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    /// <summary>Connects, subscribes with resume, reads briefly, drops the connection; again.</summary>
    private static async Task ReconnectLoopAsync(int port, string[] symbols, HostileCounts counts, CancellationToken stop)
    {
        var random = new Random(port);
        var buffer = new byte[64 * 1024];
        while (!stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), stop);
                Interlocked.Increment(ref counts.Connections);
                var names = Enumerable.Range(0, 50).Select(_ => symbols[random.Next(symbols.Length)]).Distinct().ToArray();
                var subscribe = "{\"op\":\"subscribe\",\"symbols\":[" + string.Join(',', names.Select(s => $"\"{s}\"")) + "],\"resume\":{"
                    + string.Join(',', names.Select(s => $"\"{s}\":1")) + "}}";
                await socket.SendAsync(Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, true, stop);
                using var briefly = CancellationTokenSource.CreateLinkedTokenSource(stop);
                briefly.CancelAfter(TimeSpan.FromMilliseconds(200 + random.Next(800)));
                while (true)
                {
                    await socket.ReceiveAsync(buffer.AsMemory(), briefly.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                socket.Abort();
            }
        }
    }

    private sealed class HostileCounts
    {
        public long Connections;
        public long Ended;
    }

    /// <summary>A well-behaved subscriber: reads everything, remembers each symbol's last seq.</summary>
    private sealed class Subscriber : IDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);
        private string[] _symbols = [];

        public static async Task<Subscriber> StartAsync(int port, string[] symbols, LatencyRecorder recorder, CancellationToken stop)
        {
            var subscriber = new Subscriber { _symbols = symbols };
            await subscriber._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws?batch=1"), CancellationToken.None);
            var subscribe = "{\"op\":\"subscribe\",\"symbols\":[" + string.Join(',', symbols.Select(s => $"\"{s}\"")) + "]}";
            await subscriber._socket.SendAsync(Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, true, CancellationToken.None);
            _ = Task.Run(() => subscriber.ReadAsync(recorder, stop), CancellationToken.None);
            return subscriber;
        }

        /// <summary>Holds the last seq written of each of its symbols.</summary>
        public bool IsCurrent(string[] all, long[] written) =>
            _symbols.All(s => _last.GetValueOrDefault(s) == written[Array.IndexOf(all, s)]);

        private async Task ReadAsync(LatencyRecorder recorder, CancellationToken stop)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                // Reads on after the feed stops: the end check waits for the last updates.
                while (_socket.State == WebSocketState.Open)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        if (length == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }

                        result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    var frame = buffer.AsSpan(0, length);
                    if (!stop.IsCancellationRequested)
                    {
                        recorder.Record(frame);
                    }

                    Remember(frame);
                }
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
            {
            }
        }

        private void Remember(ReadOnlySpan<byte> frame)
        {
            while (frame.IndexOf(SymbolKey) is var at and >= 0)
            {
                frame = frame[(at + SymbolKey.Length)..];
                var end = frame.IndexOf((byte)'"');
                var symbol = Encoding.ASCII.GetString(frame[..end]);
                var seqAt = frame.IndexOf(SeqKey);
                if (seqAt < 0 || !Utf8Parser.TryParse(frame[(seqAt + SeqKey.Length)..], out long seq, out _))
                {
                    return;
                }

                _last.AddOrUpdate(symbol, seq, (_, held) => Math.Max(held, seq));
                frame = frame[(seqAt + SeqKey.Length)..];
            }
        }

        public void Dispose()
        {
            _socket.Abort();
            _socket.Dispose();
        }
    }
}
