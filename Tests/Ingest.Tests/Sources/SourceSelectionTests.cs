using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;
using Ticker.Testing;

namespace Ticker.Ingest.Tests.Sources;

/// <summary>
/// <c>Ingest:Source</c> picks among registered sources by name, with no source type known to the
/// pipeline; <c>auto</c> takes the first the server allows and says once what it passed over.
/// </summary>
public sealed class SourceSelectionTests : IAsyncLifetime
{
    // The server refuses this source's preparation with a real PostgreSQL error, as it would refuse a slot.
    private static readonly TickSourceRegistration Refused = new("refused", (_, _) => Task.FromResult<string?>(null),
        context => new RefusingSource(context.DataSource));

    private static readonly TickSourceRegistration Relay = new("relay", NotifyTickSource.Registration.WhyUnavailableAsync,
        context => new RenamedSource("relay", NotifyTickSource.Registration.Create(context)));

    private readonly TestDatabase _database = new();
    private readonly LogRecorder _log = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _services.DisposeAsync();
    }

    private TickPipeline Pipeline(IngestOptions options, params TickSourceRegistration[] sources)
    {
        options.SlotName = _database.Name;
        var loggers = LoggerFactory.Create(b => b.AddProvider(_log));
        return new TickPipeline(_database.DataSource, _database.ConnectionString, options,
            new IngestMetrics(_services.GetRequiredService<IMeterFactory>(), TimeProvider.System), loggers, sources.Length == 0 ? null : sources);
    }

    [Fact]
    public async Task Auto_PublicationMissing_FallsBackToNotifyAndSaysWhyOnce()
    {
        using var pipeline = Pipeline(new IngestOptions { Publication = "no_such_publication" });
        await pipeline.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal("notify", pipeline.SourceName);
            var warning = Assert.Single(_log.Lines, l => l.Contains("not available", StringComparison.Ordinal));
            Assert.Contains("replication", warning, StringComparison.Ordinal);
            Assert.Contains("publication no_such_publication does not exist", warning, StringComparison.Ordinal);
            Assert.Contains("Ingest:Source=notify", warning, StringComparison.Ordinal);
        }
        finally
        {
            await pipeline.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Named_ServerDoesNotAllowIt_FailsAtStartNamingSettingAndReason()
    {
        using var pipeline = Pipeline(new IngestOptions { Source = "replication", Publication = "no_such_publication" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.StartAsync(CancellationToken.None));

        Assert.Equal("Ingest:Source is replication, but the server does not allow it: publication no_such_publication does not exist", error.Message);
    }

    [Fact]
    public async Task Auto_PrepareRefusedByServer_FallsBackToTheNextSource()
    {
        using var pipeline = Pipeline(new IngestOptions(), Refused, NotifyTickSource.Registration);
        await pipeline.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal("notify", pipeline.SourceName);
            Assert.Contains(_log.Lines, l => l.StartsWith("Change source refused is not available", StringComparison.Ordinal));
        }
        finally
        {
            await pipeline.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Named_SourceRegisteredBeyondTheBuiltInOnes_IsSelectedAndTicksFlow()
    {
        using var pipeline = Pipeline(new IngestOptions { Source = "relay" }, [.. TickSourceRegistration.BuiltIn, Relay]);
        var updates = new List<QuoteUpdate>();
        using var subscription = pipeline.Updates.Subscribe(u =>
        {
            lock (updates)
            {
                updates.Add(u);
            }
        });
        await pipeline.StartAsync(CancellationToken.None);
        try
        {
            await new TickStore(_database.DataSource).AppendAsync([new Tick("RELAY", DateTimeOffset.UtcNow, 7, 1)]);
            for (var i = 0; i < 1200 && !pipeline.Book.TryGet("RELAY", out _); i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal("relay", pipeline.SourceName);
            Assert.True(pipeline.Book.TryGet("RELAY", out var quote));
            Assert.Equal(1L, quote.Seq);
        }
        finally
        {
            await pipeline.StopAsync(CancellationToken.None);
        }
    }

    private sealed class RefusingSource(NpgsqlDataSource dataSource) : ITickSource
    {
        public string Name => "refused";

        public bool HoldsBacklog => false;

        public async Task<string?> PrepareAsync(CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand("SELECT pg_create_logical_replication_slot('refused', 'no_such_plugin')");
            await command.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }

        public IAsyncEnumerable<SourceEvent> ReadAsync(TransactionSnapshot snapshot, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("never prepared");

        public void Acknowledge(ulong position)
        {
        }

        public Task<SourceBacklog?> ReadBacklogAsync(CancellationToken cancellationToken) => Task.FromResult<SourceBacklog?>(null);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
