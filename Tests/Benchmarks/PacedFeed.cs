using System.Diagnostics;
using Npgsql;
using Ticker.Database.Ticks;

namespace Ticker.Benchmarks;

/// <summary>
/// Writes <c>rate</c> ticks/s round-robin over <c>symbols</c>: every <c>period</c> (10 ms unless given)
/// one binary COPY of the ticks due since the start by the clock (200 at 20,000 ticks/s; more when a
/// write was slow, so the offered rate holds while the database keeps up). With a period of a tick
/// interval or less, each symbol's ticks are evenly spaced.
/// </summary>
internal sealed class PacedFeed(NpgsqlDataSource dataSource, string[] symbols, int rate, TimeSpan? period = null)
{
    private long _written;

    /// <summary>Ticks committed so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Runs until <paramref name="stop"/>; returns the rate achieved (ticks/s).</summary>
    public async Task<double> RunAsync(CancellationToken stop)
    {
        var store = new TickStore(dataSource);
        var next = 0;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(period ?? TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var due = (long)(clock.Elapsed.TotalSeconds * rate) - _written;
                if (due <= 0)
                {
                    continue;
                }

                var now = DateTimeOffset.UtcNow;
                var batch = new Tick[due];
                for (var i = 0; i < batch.Length; i++, next = (next + 1) % symbols.Length)
                {
                    batch[i] = new Tick(symbols[next], now, 100 + (next % 13), 1);
                }

                // Not cancelled half way: what is counted is committed.
                await store.AppendAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _written, batch.Length);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return Written / clock.Elapsed.TotalSeconds;
    }
}
