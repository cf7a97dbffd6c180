using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>
/// Keeps a change source reading through lost connections and server restarts: each attempt
/// streams until the connection fails, then the next starts after a backoff (100 ms, doubling to
/// 10 s, back to 100 ms once events flow). Each source resumes where its own cursor stands.
/// </summary>
internal static class Reconnecting
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    public static async IAsyncEnumerable<SourceEvent> ReadAsync(Func<CancellationToken, IAsyncEnumerable<SourceEvent>> readOnce,
        string source, IngestMetrics metrics, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var events = readOnce(cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync();
                }
                catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
                {
                    metrics.Stream.MarkDown(e.Message);
                    IngestLog.SourceLost(logger, e, source, backoff);
                    metrics.Reconnects.Add(1);
                    break;
                }

                if (!more)
                {
                    break;
                }

                backoff = FirstBackoff;
                yield return events.Current;
            }

            await Task.Delay(backoff, metrics.Clock, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }
}
