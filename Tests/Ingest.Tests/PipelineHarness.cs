using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

/// <summary>A real <see cref="TickPipeline"/> on a test database, recording every update it emits.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly List<QuoteUpdate> _updates = [];
    private readonly ServiceProvider _services;
    private IDisposable? _subscription;

    public PipelineHarness(TestDatabase database, string source = "replication")
        : this(database.DataSource, database.ConnectionString, database.Name, source)
    {
    }

    public PipelineHarness(TestDatabase database, Action<IngestOptions> configure)
        : this(database.DataSource, database.ConnectionString, database.Name, "replication", configure)
    {
    }

    public PipelineHarness(NpgsqlDataSource dataSource, string connectionString, string slot, string source = "replication",
        Action<IngestOptions>? configure = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new IngestOptions { Source = source, SlotName = slot, ReplayDepth = 64 };
        configure?.Invoke(options);
        Pipeline = new TickPipeline(dataSource, connectionString, options,
            new IngestMetrics(_services.GetRequiredService<IMeterFactory>(), TimeProvider.System), NullLoggerFactory.Instance);
    }

    public TickPipeline Pipeline { get; }

    public List<QuoteUpdate> Updates
    {
        get
        {
            lock (_updates)
            {
                return [.. _updates];
            }
        }
    }

    public async Task<PipelineHarness> StartAsync()
    {
        _subscription = Pipeline.Updates.Subscribe(u =>
        {
            lock (_updates)
            {
                _updates.Add(u);
            }
        });
        await Pipeline.StartAsync(CancellationToken.None);
        return this;
    }

    /// <summary>Waits (at most a minute: a failure, never a timing assertion) until <paramref name="count"/> updates arrived.</summary>
    public Task<List<QuoteUpdate>> WaitForAsync(int count) => WaitForAsync(count, TimeSpan.FromMinutes(1));

    public async Task<List<QuoteUpdate>> WaitForAsync(int count, TimeSpan patience)
    {
        for (var i = 0; i < patience.TotalMilliseconds / 50 && Updates.Count < count; i++)
        {
            await Task.Delay(50);
        }

        var updates = Updates;
        Assert.True(updates.Count >= count, $"{updates.Count} of {count} updates arrived");
        return updates;
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await Pipeline.StopAsync(CancellationToken.None);
        Pipeline.Dispose();
        await _services.DisposeAsync();
    }
}
