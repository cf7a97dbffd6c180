using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Tests.Sources;

/// <summary>What the pipeline makes of a source's backlog reading: a lost backlog is critical, a large or endangered one a warning.</summary>
[Trait("Tier", "Fast")]
public sealed class BacklogMonitorTests
{
    [Theory]
    [InlineData(10L, "reserved", false, false, null)]
    [InlineData(2048L, "extended", false, false, "retains 2048 bytes of WAL (status extended)")]
    [InlineData(10L, "unreserved", false, true, "retains 10 bytes of WAL (status unreserved)")]
    [InlineData(10L, "lost", true, false, "has lost WAL it needed")]
    public async Task Run_OneReading_ReportedAsItsStateDeserves(long bytes, string status, bool lost, bool atRisk, string? expected)
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new IngestMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        using var log = new LogRecorder();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log));
        var source = new ReadingSource(new SourceBacklog("slot_a", bytes, status, lost, atRisk));

        // Already cancelled: exactly one round runs, then the wait for the next one ends the monitor.
        await BacklogMonitor.RunAsync(source, new IngestOptions { SlotLagWarningBytes = 1024 }, metrics, loggers.CreateLogger("test"),
            new CancellationToken(canceled: true));

        Assert.Equal(1, source.Readings);
        if (expected is null)
        {
            Assert.Empty(log.Lines);
        }
        else
        {
            var line = Assert.Single(log.Lines);
            Assert.Contains("slot_a", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }
    }

    /// <summary>A source that only answers backlog readings.</summary>
    private sealed class ReadingSource(SourceBacklog backlog) : ITickSource
    {
        public int Readings { get; private set; }

        public string Name => "reading";

        public bool HoldsBacklog => true;

        public Task<string?> PrepareAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public IAsyncEnumerable<SourceEvent> ReadAsync(TransactionSnapshot snapshot, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("only backlog readings are asked of it");

        public void Acknowledge(ulong position)
        {
        }

        public Task<SourceBacklog?> ReadBacklogAsync(CancellationToken cancellationToken)
        {
            Readings++;
            return Task.FromResult<SourceBacklog?>(backlog);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
