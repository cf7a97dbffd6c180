using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// The pipeline from the write-ahead log to per-symbol deltas. On start it loads every symbol's
/// quote under one snapshot, then follows the change source from there; <see cref="Updates"/> is one
/// shared hot observable of <see cref="QuoteUpdate"/>s in commit order. A commit is acknowledged to
/// the source only after all its updates have been handed to every subscriber.
/// </summary>
public sealed class TickPipeline : IHostedService, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;
    private readonly IngestOptions _options;
    private readonly IngestMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly IConnectableObservable<QuoteUpdate> _updates;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private ITickSource? _source;
    private TransactionSnapshot? _snapshot;
    private IDisposable? _connection;
    private Task _slotMonitor = Task.CompletedTask;
    private int _disposed;

    public TickPipeline(NpgsqlDataSource dataSource, string connectionString, IngestOptions options, IngestMetrics metrics, ILoggerFactory loggers)
    {
        _dataSource = dataSource;
        _connectionString = connectionString;
        _options = options;
        _metrics = metrics;
        _loggers = loggers;
        _logger = loggers.CreateLogger<TickPipeline>();
        Book = new QuoteBook(new TradingSession(options.SessionStartUtc));
        Replays = new ReplayBuffer(options.ReplayDepth);
        metrics.SymbolsTracked = () => Book.Count;
        _updates = Observable.Create<QuoteUpdate>(Connect).Publish();
    }

    /// <summary>Every symbol's current quote.</summary>
    public QuoteBook Book { get; }

    /// <summary>All updates, in commit order, shared by every subscriber (hot: subscribe, then read the book).</summary>
    public IObservable<QuoteUpdate> Updates => _updates;

    /// <summary>The recent updates of each symbol, for resuming subscribers.</summary>
    public ReplayBuffer Replays { get; }

    /// <summary>"replication" or "notify", once started.</summary>
    public string SourceName => _source?.Name ?? "";

    /// <summary>Completes when the start-up state is loaded and the stream is running.</summary>
    public Task Started => _started.Task;

    /// <summary>Everything for <paramref name="symbol"/> after <paramref name="afterSeq"/>, or "cannot resume".</summary>
    public Replay ReplayAfter(string symbol, long afterSeq) =>
        Book.TryGet(symbol, out var quote) ? Replays.After(symbol, afterSeq, quote.Seq) : afterSeq == 0 ? Replay.UpToDate : Replay.CannotResume;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _source = await SourceSelector.ChooseAsync(_dataSource, _connectionString, _options, _metrics, _loggers, cancellationToken);
        var exported = (_source as ReplicationTickSource)?.ExportedSnapshot;
        var state = await StartupState.LoadAsync(_dataSource, new TradingSession(_options.SessionStartUtc), exported, cancellationToken);
        foreach (var quote in state.Quotes)
        {
            Book.Load(quote);
        }

        _snapshot = state.Snapshot;
        _connection = _updates.Connect();
        if (_source is ReplicationTickSource replication)
        {
            _slotMonitor = SlotMonitor.RunAsync(_dataSource, () => replication.SlotName, _options, _metrics, _logger, _stopping.Token);
        }

        IngestLog.PipelineStarted(_logger, _source.Name, state.Quotes.Count, state.Snapshot.Xmax);
        _started.TrySetResult();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host that is torn down may dispose its singletons before it stops them.
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _connection?.Dispose();
        await _slotMonitor.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }
    }

    /// <summary>
    /// One subscription to the change source, shared: updates go to the subscribers, commits to the
    /// acknowledgement. Rx delivers each change to every observer before the next one, so a commit is
    /// acknowledged only after all its ticks' updates have been handed on.
    /// </summary>
    private CompositeDisposable Connect(IObserver<QuoteUpdate> observer)
    {
        var changes = Observable.Create<SourceEvent>(PumpAsync).Publish();
        return new CompositeDisposable(
            changes.ToQuoteUpdates(Book, _snapshot!).Do(Record).Subscribe(observer),
            changes.Where(change => change.Kind == SourceEventKind.Commit).Subscribe(commit => _source!.Acknowledge(commit.Position)),
            changes.Connect());
    }

    private async Task PumpAsync(IObserver<SourceEvent> observer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _source!.ReadAsync(_snapshot!, cancellationToken))
            {
                observer.OnNext(change);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            IngestLog.PipelineFailed(_logger, e);
            observer.OnError(e);
        }
    }

    private void Record(QuoteUpdate update)
    {
        Replays.Add(update);
        _metrics.Ticks.Add(1);
        _metrics.Latency.Record((_metrics.Clock.GetUtcNow() - update.CommitTime).TotalMilliseconds);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _connection?.Dispose();
        _stopping.Dispose();
    }
}
