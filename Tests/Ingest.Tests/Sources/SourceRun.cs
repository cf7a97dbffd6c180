using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Tests.Sources;

/// <summary>
/// One source run as the pipeline runs it — prepared, the start-up state read under its snapshot,
/// the stream followed from there with each commit acknowledged — and checked as it goes against
/// what <see cref="ITickSource.ReadAsync"/> promises: a transaction's ticks together and then its
/// commit, no tick twice, each symbol's ticks in order. Counts per symbol (the start-up state's,
/// plus what streamed) are compared with the table at the end.
/// </summary>
internal sealed class SourceRun : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastId = new(StringComparer.Ordinal);
    private readonly Dictionary<long, StoredTick> _delivered = [];
    private readonly List<string> _violations = [];
    private TransactionSnapshot _snapshot = TransactionSnapshot.Parse("1:1:");
    private long? _openXid;
    private Task _reading = Task.CompletedTask;
    private Exception? _failure;

    private SourceRun(ITickSource source, ServiceProvider services)
    {
        Source = source;
        _services = services;
    }

    public ITickSource Source { get; }

    /// <summary>Times the source handed on a fresh state (a new temporary slot after a lost connection).</summary>
    public int Reloads { get; private set; }

    /// <summary>Ids of the ticks streamed (not loaded with the start-up state) in this run.</summary>
    public IReadOnlyCollection<long> DeliveredIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered.Keys];
            }
        }
    }

    public static async Task<SourceRun> StartAsync(TickSourceRegistration registration, NpgsqlDataSource dataSource, string connectionString,
        IngestOptions options)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new IngestMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        var source = registration.Create(new TickSourceContext(dataSource, connectionString, options, metrics, NullLogger.Instance));
        var run = new SourceRun(source, services);
        var exported = await source.PrepareAsync(CancellationToken.None);
        var state = await StartupState.LoadAsync(dataSource, new TradingSession(options.SessionStartUtc), options.MaxFutureSkew, exported,
            CancellationToken.None);
        run.Baseline(state);
        run._reading = run.ReadAsync(state.Snapshot);
        return run;
    }

    /// <summary>How many ticks of <paramref name="symbol"/> this run has counted: loaded, then streamed.</summary>
    public long Count(string symbol)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault(symbol);
        }
    }

    /// <summary>Waits (at most two minutes: a failure, never a timing assertion) until <paramref name="symbol"/> has <paramref name="count"/> ticks.</summary>
    public async Task WaitForAsync(string symbol, long count)
    {
        for (var i = 0; i < 2400 && Count(symbol) < count && _failure is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.Null(_failure);
        Assert.True(Count(symbol) >= count, $"{Count(symbol)} of {count} ticks of {symbol} arrived");
    }

    /// <summary>
    /// Commits a tick of a symbol of its own and waits for it: everything committed before it has
    /// been handed on by then (commit order; for notify, transaction order with nothing older running).
    /// </summary>
    public async Task BarrierAsync(NpgsqlDataSource dataSource, string symbol)
    {
        await new TickStore(dataSource).AppendAsync([new Tick(symbol, DateTimeOffset.UtcNow, 1, 1)]);
        await WaitForAsync(symbol, 1);
    }

    /// <summary>The run's counts equal the table's, every streamed tick is the row the table holds, and nothing broke the contract.</summary>
    public async Task AssertMatchesTableAsync(NpgsqlDataSource dataSource)
    {
        Dictionary<string, long> counts;
        Dictionary<long, StoredTick> delivered;
        lock (_gate)
        {
            Assert.Null(_failure);
            Assert.Empty(_violations);
            counts = new(_counts, StringComparer.Ordinal);
            delivered = new(_delivered);
        }

        var truth = new Dictionary<string, long>(StringComparer.Ordinal);
        var rows = new Dictionary<long, (string Symbol, decimal Price, long Size)>();
        await using (var command = dataSource.CreateCommand("SELECT id, symbol, price, size FROM ticks"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var symbol = reader.GetString(1);
                truth[symbol] = truth.GetValueOrDefault(symbol) + 1;
                rows[reader.GetInt64(0)] = (symbol, reader.GetDecimal(2), reader.GetInt64(3));
            }
        }

        Assert.Equal(truth.OrderBy(c => c.Key, StringComparer.Ordinal), counts.OrderBy(c => c.Key, StringComparer.Ordinal));
        foreach (var (id, tick) in delivered)
        {
            Assert.True(rows.TryGetValue(id, out var row), $"tick {id} was streamed but is not in the table");
            Assert.Equal(row, (tick.Symbol, tick.Price, tick.Size));
        }
    }

    private void Baseline(StartupState state)
    {
        lock (_gate)
        {
            _snapshot = state.Snapshot;
            _counts.Clear();
            foreach (var quote in state.Quotes)
            {
                _counts[quote.Symbol] = quote.Seq;
            }

            _openXid = null;
        }
    }

    private async Task ReadAsync(TransactionSnapshot snapshot)
    {
        await Task.Yield();
        try
        {
            await foreach (var change in Source.ReadAsync(snapshot, _stop.Token))
            {
                Apply(change);
            }

            _failure = new InvalidOperationException($"the {Source.Name} source ended");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    private void Apply(SourceEvent change)
    {
        switch (change.Kind)
        {
            case SourceEventKind.Reload:
                Reloads++;
                Baseline(change.State!);
                break;
            case SourceEventKind.Tick:
                lock (_gate)
                {
                    if (_snapshot.Sees(change.Xid))
                    {
                        break; // counted with the start-up state
                    }

                    if (_openXid is { } open && open != change.Xid)
                    {
                        _violations.Add($"a tick of transaction {change.Xid} came before transaction {open}'s commit");
                    }

                    _openXid = change.Xid;
                    var tick = change.Tick;
                    if (!_delivered.TryAdd(tick.Id, tick))
                    {
                        _violations.Add($"tick {tick.Id} ({tick.Symbol}) came twice");
                    }

                    if (_lastId.TryGetValue(tick.Symbol, out var last) && last >= tick.Id)
                    {
                        _violations.Add($"{tick.Symbol}: tick {tick.Id} came after tick {last}");
                    }

                    _lastId[tick.Symbol] = tick.Id;
                    _counts[tick.Symbol] = _counts.GetValueOrDefault(tick.Symbol) + 1;
                }

                break;
            case SourceEventKind.Commit:
                lock (_gate)
                {
                    if (_openXid is { } open && open != change.Xid)
                    {
                        _violations.Add($"the commit of transaction {change.Xid} came while transaction {open} was open");
                    }

                    _openXid = null;
                }

                Source.Acknowledge(change.Position);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        await Source.DisposeAsync();
        _stop.Dispose();
        await _services.DisposeAsync();
    }
}
