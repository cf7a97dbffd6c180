using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// Watches how much WAL this hub's slot holds back. A slot that falls too far behind is reported
/// (log and metric), never dropped: dropping it would lose ticks silently.
/// </summary>
internal static class SlotMonitor
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private const string SlotSql = """
        SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, coalesce(wal_status, 'unknown')
        FROM pg_replication_slots WHERE slot_name = $1
        """;

    public static async Task RunAsync(NpgsqlDataSource dataSource, Func<string> slotName, IngestOptions options, IngestMetrics metrics, ILogger logger,
        CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, metrics.Clock);
        do
        {
            try
            {
                var slot = slotName();
                await using var command = dataSource.CreateCommand(SlotSql);
                command.Parameters.Add(new() { Value = slot });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    var lag = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
                    var status = reader.GetString(1);
                    metrics.ObserveSlotLag(lag);
                    if (status == "lost")
                    {
                        IngestLog.SlotLost(logger, slot);
                    }
                    else if (lag > options.SlotLagWarningBytes || status == "unreserved")
                    {
                        IngestLog.SlotLagging(logger, slot, lag, status);
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
