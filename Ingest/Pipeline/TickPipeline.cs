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
public sealed partial class TickPipeline : IHostedService, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;
    private readonly IngestOptions _options;
    private readonly IngestMetrics _metrics;
    private readonly IReadOnlyList<TickSourceRegistration> _sources;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);
    // A subject rather than a published Observable.Create: Rx detaches an observer whose
    // subscriber threw, which would end the stream for good instead of restarting it.
    private readonly Subject<QuoteUpdate> _updates = new();
    private TimeSpan _restartDelay = FirstRestartDelay;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private ITickSource? _source;
    private TransactionSnapshot? _snapshot;
    private Task _running = Task.CompletedTask;
    private Task _backlogMonitor = Task.CompletedTask;
    private int _disposed;

    /// <param name="sources">The change sources <c>Ingest:Source</c> chooses from, best first; null: <see cref="TickSourceRegistration.BuiltIn"/>.</param>
    public TickPipeline(NpgsqlDataSource dataSource, string connectionString, IngestOptions options, IngestMetrics metrics, ILoggerFactory loggers,
        IEnumerable<TickSourceRegistration>? sources = null)
    {
        _dataSource = dataSource;
        _connectionString = connectionString;
        _options = options;
        _metrics = metrics;
        _sources = sources?.ToList() ?? TickSourceRegistration.BuiltIn;
        _loggers = loggers;
        _logger = loggers.CreateLogger<TickPipeline>();
        Book = new QuoteBook(new TradingSession(options.SessionStartUtc), options.MaxFutureSkew);
        Replays = new ReplayBuffer(options.ReplayDepth);
        metrics.SymbolsTracked = () => Book.Count;
    }

    /// <summary>How far ahead of the present a tick may be stamped (<c>Ingest:MaxFutureSkew</c>).</summary>
    public TimeSpan MaxFutureSkew => _options.MaxFutureSkew;

    /// <summary>Every symbol's current quote.</summary>
    public QuoteBook Book { get; }

    /// <summary>All updates, in commit order, shared by every subscriber (hot: subscribe, then read the book).</summary>
    public IObservable<QuoteUpdate> Updates => _updates.AsObservable();

    /// <summary>The recent updates of each symbol, for resuming subscribers.</summary>
    public ReplayBuffer Replays { get; }

    /// <summary>The change source's name (see <see cref="ITickSource.Name"/>), once started.</summary>
    public string SourceName => _source?.Name ?? "";

    /// <summary>Completes when the start-up state is loaded and the stream is running.</summary>
    public Task Started => _started.Task;

    /// <summary>Everything for <paramref name="symbol"/> after <paramref name="afterSeq"/>, or "cannot resume".</summary>
    public Replay ReplayAfter(string symbol, long afterSeq) =>
        Book.TryGet(symbol, out var quote) ? Replays.After(symbol, afterSeq, quote.Seq) : afterSeq == 0 ? Replay.UpToDate : Replay.CannotResume;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var context = new TickSourceContext(_dataSource, _connectionString, _options, _metrics, _loggers.CreateLogger<ITickSource>());
        var (source, exportedSnapshot) = await SourceSelector.ChooseAsync(_sources, context, cancellationToken);
        _source = source;
        var state = await LoadAsync(exportedSnapshot, cancellationToken);
        _running = RunAsync(_stopping.Token);
        if (source.HoldsBacklog)
        {
            _backlogMonitor = BacklogMonitor.RunAsync(source, _options, _metrics, _logger, _stopping.Token);
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
        await _running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _backlogMonitor.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }
    }

    /// <summary>
    /// Loads the book under <paramref name="exportedSnapshot"/> (the source's, at start) or a snapshot
    /// of its own (a restart: a source that needs a snapshot of its own then hands on a reload).
    /// </summary>
    private async Task<StartupState> LoadAsync(string? exportedSnapshot, CancellationToken cancellationToken)
    {
        var state = await StartupState.LoadAsync(_dataSource, new TradingSession(_options.SessionStartUtc), _options.MaxFutureSkew,
            exportedSnapshot, cancellationToken);
        LoadBook(state);
        _snapshot = state.Snapshot;
        return state;
    }

    /// <summary>
    /// Follows the source until stopped, restarting after any failure that reaches it (a bug, a row
    /// nobody foresaw, a subscriber that throws): ending the stream would leave the hub serving
    /// frozen quotes while it looks healthy. Each restart waits (100 ms doubling to 30 s, back to
    /// 100 ms once updates flow), reloads the book under a new snapshot and follows the source from
    /// there, so nothing is lost or counted twice: the snapshot joins the stream as it does at start.
    /// Subscribers may see a symbol's seq jump across a restart, which tells them to resume.
    /// </summary>
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await RestartAsync(e, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RestartAsync(Exception failure, CancellationToken cancellationToken)
    {
        _metrics.Restarts.Add(1);
        while (true)
        {
            var delay = _restartDelay;
            _restartDelay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestartDelay.Ticks));
            IngestLog.PipelineFailed(_logger, failure, delay);
            await Task.Delay(delay, _metrics.Clock, cancellationToken);
            try
            {
                var state = await LoadAsync(exportedSnapshot: null, cancellationToken);
                IngestLog.PipelineStarted(_logger, _source!.Name, state.Quotes.Count, state.Snapshot.Xmax);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = e;
            }
        }
    }

    /// <summary>
    /// One run: a subscription to the change source, shared: updates go to the subscribers, commits
    /// to the acknowledgement. Rx delivers each change to every observer before the next one, so a
    /// commit is acknowledged only after all its ticks' updates have been handed on. Completes
    /// (faulted) with the first failure anywhere in it, or when cancelled.
    /// </summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var changes = Observable.Create<SourceEvent>((observer, ct) => PumpAsync(observer, failed, ct)).Publish();
        using var updates = changes.Do(AdoptReloadedEpoch).ToQuoteUpdates(Book, _snapshot!).Do(Record)
            .Subscribe(_updates.OnNext, e => failed.TrySetException(e));
        // An error is reported through the update chain above; nothing to do here.
        using var acknowledgements = changes.Where(change => change.Kind == SourceEventKind.Commit)
            .Subscribe(commit => _source!.Acknowledge(commit.Position), _ => { });
        using var connection = changes.Connect();
        await failed.Task.WaitAsync(cancellationToken);
    }

    // A subscriber's exception comes back out of OnNext after Rx has already detached this
    // observer, so the failure is reported through the run's task rather than OnError alone.
    private async Task PumpAsync(IObserver<SourceEvent> observer, TaskCompletionSource failed, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _source!.ReadAsync(_snapshot!, cancellationToken))
            {
                if (failed.Task.IsCompleted)
                {
                    return;
                }

                observer.OnNext(change);
            }

            failed.TrySetException(new InvalidOperationException($"the {_source.Name} change source ended"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            failed.TrySetException(e);
            observer.OnError(e);
        }
    }

    private void Record(QuoteUpdate update)
    {
        _restartDelay = FirstRestartDelay;
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
        _stopping.Dispose();
        _updates.Dispose();
    }
}
