using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
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

    public PipelineHarness(TestDatabase database, string source = "replication", string? slot = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new IngestOptions { Source = source, SlotName = slot ?? database.Name, ReplayDepth = 64 };
        Pipeline = new TickPipeline(database.DataSource, database.ConnectionString, options,
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
    public async Task<List<QuoteUpdate>> WaitForAsync(int count)
    {
        for (var i = 0; i < 1200 && Updates.Count < count; i++)
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
