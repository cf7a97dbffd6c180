using Npgsql;

namespace Ticker.PushHub.Reference;

/// <summary>
/// Checks for unknown symbols once a minute (the first a minute after start), so they are logged and counted without anyone asking
/// <c>/api/unknown-symbols</c>. A failed check (database away) waits for the next one.
/// </summary>
internal sealed class UnknownSymbolReporter(UnknownSymbols unknown, TimeProvider clock, ILogger<UnknownSymbolReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first check waits an interval: at start a feed may still be adding its symbols.
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await unknown.ListAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                PushLog.UnknownSymbolCheckFailed(logger, e);
            }
        }
    }
}
