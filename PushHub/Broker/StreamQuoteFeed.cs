using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Ticker.Ingest.Broker;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Broker;

/// <summary>
/// <c>Ingest:Mode=edge</c>: the hub's quotes from the JetStream stream instead of the write-ahead log.
/// One ordered consumer starts at the last message of every subject (the start-up state) and
/// follows the stream from there; after a failure it goes on from the next stream sequence, so no
/// message is skipped. Per symbol, a seq at or below the book's is a double and dropped; one that
/// jumps says how many ticks it stands for (<c>merged</c>). Resume is served from the ring of the
/// last <c>Ingest:ReplayDepth</c> updates, and beyond it from the subject's history in the stream.
/// </summary>
internal sealed class StreamQuoteFeed(
    INatsJSContext js,
    NatsConnection connection,
    IOptions<NatsOptions> options,
    IOptions<IngestOptions> ingest,
    ILogger<StreamQuoteFeed> logger) : BackgroundService, IQuoteFeed
{
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(10);
    private readonly NatsOptions _options = options.Value;
    private readonly Subject<QuoteUpdate> _updates = new();
    private readonly ConcurrentDictionary<string, Quote> _book = new(StringComparer.Ordinal);
    private readonly ReplayBuffer _ring = new(ingest.Value.ReplayDepth);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _epoch = "";
    private ulong _lastStreamSequence;

    public IObservable<QuoteUpdate> Updates => _updates.AsObservable();

    public Task Started => _started.Task;

    public string Epoch => _epoch;

    public IEnumerable<Quote> Quotes => _book.Values;

    public event Action<string>? EpochChanged;

    /// <summary>Whether the NATS connection is open now (readiness).</summary>
    public bool Connected => connection.ConnectionState == NatsConnectionState.Open;

    public string StreamName => _options.Stream;

    public int SymbolCount => _book.Count;

    public bool TryGetQuote(string symbol, out Quote quote) => _book.TryGetValue(symbol, out quote!);

    public Replay ReplayAfter(string symbol, long afterSeq)
    {
        if (!_book.TryGetValue(symbol, out var quote))
        {
            return afterSeq == 0 ? Replay.UpToDate : Replay.CannotResume;
        }

        var fromMemory = _ring.After(symbol, afterSeq, quote.Seq);
        if (fromMemory.CanResume || afterSeq >= quote.Seq || afterSeq < 0)
        {
            return fromMemory;
        }

        // Older than the ring holds: the subject's history in the stream. The caller is synchronous
        // (a subscribe is admitted in one step, under the fan-out's registration), so it waits here.
        try
        {
            using var timeout = new CancellationTokenSource(ReplayTimeout);
            return ReplayFromStreamAsync(symbol, afterSeq, quote.Seq, _epoch, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException)
        {
            BrokerLog.EdgeStreamReplayFailed(logger, e, symbol, afterSeq);
            return Replay.CannotResume;
        }
    }

    /// <summary>The updates of <paramref name="symbol"/> after <paramref name="afterSeq"/> up to <paramref name="upToSeq"/>, in the epoch, with no gap a merge does not explain.</summary>
    private async Task<Replay> ReplayFromStreamAsync(string symbol, long afterSeq, long upToSeq, string epoch, CancellationToken cancellationToken)
    {
        var updates = new List<QuoteUpdate>();
        var last = afterSeq;
        var gap = false;
        await QuoteStream.ReadToEndAsync(js, _options, ConsumerConfigDeliverPolicy.All, _options.SubjectOf(symbol), (update, messageEpoch) =>
        {
            if (messageEpoch != epoch || update.Seq <= last)
            {
                return true;
            }

            if (update.Seq - update.Merged > last)
            {
                gap = true;
                return false;
            }

            updates.Add(update with { Merged = (int)(update.Seq - last) });
            last = update.Seq;
            return last < upToSeq;
        }, cancellationToken);
        return gap || last != upToSeq ? Replay.CannotResume : new Replay(true, updates);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                BrokerLog.EdgeReadFailed(logger, e, _options.Stream, delay, _lastStreamSequence + 1);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        var stream = await js.GetStreamAsync(_options.Stream, cancellationToken: cancellationToken);
        if (_lastStreamSequence == 0 && stream.Info.State.Messages == 0)
        {
            MarkStarted();
        }

        // A lost connection ends this reading (its consumer may be gone with the server): the next one starts after the last message applied.
        using var disconnected = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ValueTask OnDisconnected(object? sender, NatsEventArgs args)
        {
            disconnected.Cancel();
            return ValueTask.CompletedTask;
        }

        connection.ConnectionDisconnected += OnDisconnected;
        try
        {
            var consumer = _lastStreamSequence == 0
                ? await QuoteStream.CreateReaderAsync(js, _options, ConsumerConfigDeliverPolicy.LastPerSubject, _options.AllSubjects, 0, disconnected.Token)
                : await QuoteStream.CreateReaderAsync(js, _options, ConsumerConfigDeliverPolicy.ByStartSequence, _options.AllSubjects,
                    _lastStreamSequence + 1, disconnected.Token);
            await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: disconnected.Token))
            {
                Apply(message);
            }
        }
        finally
        {
            connection.ConnectionDisconnected -= OnDisconnected;
        }
    }

    private void Apply(INatsJSMsg<byte[]> message)
    {
        Apply(QuoteMessage.Decode(message.Data), QuoteStream.EpochOf(message));
        if (message.Metadata is { } metadata)
        {
            _lastStreamSequence = metadata.Sequence.Stream;
            if (metadata.NumPending == 0)
            {
                MarkStarted();
            }
        }
    }

    private void MarkStarted()
    {
        if (_started.TrySetResult())
        {
            BrokerLog.EdgeLoaded(logger, _book.Count, _options.Stream, _epoch);
        }
    }

    /// <summary>On the consumer's thread, one message at a time: the book first, then the ring, then the fan-out.</summary>
    private void Apply(QuoteUpdate update, string epoch)
    {
        if (epoch != _epoch)
        {
            var first = _epoch.Length == 0;
            if (!first)
            {
                // The publisher republishes every symbol under a new epoch; until each arrives, the old quote is not served.
                _book.Clear();
                _ring.Clear();
            }

            _book[update.Symbol] = update.Quote;
            _epoch = epoch;
            if (!first)
            {
                BrokerLog.EdgeEpochChanged(logger, epoch);
                EpochChanged?.Invoke(epoch);
            }
        }
        else if (_book.TryGetValue(update.Symbol, out var held))
        {
            if (update.Seq <= held.Seq)
            {
                return; // a double (a leader re-publishing what its predecessor sent outside the duplicate window)
            }

            // What the update stands for here: every seq since the one this hub holds.
            update = update with { Merged = (int)Math.Min(int.MaxValue, update.Seq - held.Seq) };
        }

        _book[update.Symbol] = update.Quote;
        _ring.Add(update);
        _updates.OnNext(update);
    }

    public override void Dispose()
    {
        _updates.Dispose();
        base.Dispose();
    }
}
