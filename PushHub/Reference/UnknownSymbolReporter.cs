using Npgsql;

namespace Ticker.PushHub.Reference;

/// <summary>
/// Checks for unknown symbols once a minute, so they are logged and counted without anyone asking
/// <c>/api/unknown-symbols</c>. A failed check (database away) waits for the next one.
/// </summary>
internal sealed class UnknownSymbolReporter(UnknownSymbols unknown, TimeProvider clock, ILogger<UnknownSymbolReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
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
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
