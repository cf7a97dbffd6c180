using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Ticker.PushHub.Push;

namespace Ticker.Benchmarks;

/// <summary>
/// The push core's delivery loop without a network: a WebSocket session whose socket accepts every
/// send at once answers 256 pings, each going through the command path, the subscriber queue, the
/// writer's drain and the send. Measures the per-message cost of the loop itself (plain frames and
/// <c>?batch=1</c>), not the kernel's.
/// </summary>
[MemoryDiagnoser]
public class PushDrainBenchmark
{
    private const int Pings = 256;

    private static readonly string[] Commands = [.. Enumerable.Range(0, Pings).Select(i => $$"""{"op":"ping","id":{{i}}}""")];

    private ServiceProvider _services = null!;
    private PushMetrics _metrics = null!;
    private InstantWebSocket _socket = null!;
    private ManualClock _clock = null!;
    private CancellationTokenSource _end = null!;
    private Task _running = null!;

    [Params(false, true)]
    public bool Batch { get; set; }

    /// <summary><c>Ticker.Benchmarks drain [--quick]</c>: this benchmark alone, in-process.</summary>
    public static int Run(string[] args)
    {
        var job = (args.Contains("--quick") ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
        BenchmarkRunner.Run<PushDrainBenchmark>(DefaultConfig.Instance.AddJob(job));
        return 0;
    }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new PushMetrics(_services.GetRequiredService<IMeterFactory>());
        _socket = new InstantWebSocket();
        _clock = new ManualClock();
        var options = new HubOptions { MaxOpsPerSecond = 10_000 };
        var session = new WebSocketSession(_socket, new SubscriptionManager(new FanOut(null!, null!), null!), options, _metrics, _clock,
            NullLogger.Instance, Batch);
        _end = new CancellationTokenSource();
        _running = session.RunAsync(_end.Token);
    }

    [Benchmark(OperationsPerInvoke = Pings)]
    public async Task PingsAnswered()
    {
        // A second per round refills the ops bucket: the limiter is not what is measured.
        _clock.Advance(TimeSpan.FromSeconds(1));
        var answered = _socket.Expect(Pings);
        foreach (var command in Commands)
        {
            _socket.Incoming.Writer.TryWrite(Encoding.UTF8.GetBytes(command));
        }

        await answered;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _end.Cancel();
        _running.Wait(TimeSpan.FromSeconds(5));
        _end.Dispose();
        _metrics.Dispose();
        _services.Dispose();
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = DateTimeOffset.UnixEpoch.AddYears(56).UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        // The ops limiter measures with time stamps: they move only with Advance too.
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    /// <summary>Accepts every send at once and counts the pongs in it (one per frame, or many in a batch frame).</summary>
    private sealed class InstantWebSocket : WebSocket
    {
        private static readonly byte[] PongType = "\"pong\""u8.ToArray();
        private byte[]? _peeked;
        private int _left;
        private TaskCompletionSource? _done;

        public Channel<byte[]> Incoming { get; } = Channel.CreateUnbounded<byte[]>();

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => WebSocketState.Open;

        public override string? SubProtocol => null;

        public Task Expect(int pongs)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _left, pongs);
            return _done.Task;
        }

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            var span = buffer.Span;
            var pongs = 0;
            for (var at = span.IndexOf(PongType); at >= 0; at = span.IndexOf(PongType))
            {
                pongs++;
                span = span[(at + PongType.Length)..];
            }

            if (pongs > 0 && Interlocked.Add(ref _left, -pongs) == 0)
            {
                _done!.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }

        public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            _peeked ??= await Incoming.Reader.ReadAsync(cancellationToken);
            if (buffer.IsEmpty)
            {
                return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Text, endOfMessage: false);
            }

            var message = _peeked;
            _peeked = null;
            message.CopyTo(buffer);
            return new ValueWebSocketReceiveResult(message.Length, WebSocketMessageType.Text, endOfMessage: true);
        }

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Abort()
        {
        }

        public override void Dispose()
        {
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken);
            return new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
        }
    }
}
