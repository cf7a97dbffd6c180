using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// Watches how much the server holds back for a source that keeps a backlog there (a replication
/// slot's WAL). A backlog that grows too large is reported (log and metric), never dropped:
/// dropping it would lose ticks silently.
/// </summary>
internal static class BacklogMonitor
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(ITickSource source, IngestOptions options, IngestMetrics metrics, ILogger logger,
        CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, metrics.Clock);
        do
        {
            try
            {
                if (await source.ReadBacklogAsync(cancellationToken) is { } backlog)
                {
                    metrics.ObserveSlotLag(backlog.Bytes);
                    if (backlog.Lost)
                    {
                        IngestLog.SlotLost(logger, backlog.Holder);
                    }
                    else if (backlog.Bytes > options.SlotLagWarningBytes || backlog.AtRisk)
                    {
                        IngestLog.SlotLagging(logger, backlog.Holder, backlog.Bytes, backlog.Status);
                    }
                }
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
            {
                // The source reports lost connections; the next round tries again.
            }
        }
        while (await NextRoundAsync(timer, cancellationToken));
    }

    private static async Task<bool> NextRoundAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
