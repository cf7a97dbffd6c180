using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reactive.Linq;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Simulated;
using Ticker.Ingest.Pipeline;
using Ticker.Ingest.Sources;

namespace Ticker.Benchmarks;

/// <summary>
/// Drain rate: 1,000,000 ticks committed in batches of 100, then read from a replication slot to
/// emitted quote updates (source decoding, quote book, replay buffer, one subscriber), against
/// pg_recvlogical draining the same WAL through pgoutput from a second slot in the same run.
/// </summary>
internal static class IngestDrainBenchmark
{
    private const int Rows = 1_000_000;
    private const int Batch = 100;

    public static async Task<int> RunAsync()
    {
        await using var database = await BenchDatabase.CreateAsync("ticker_bench_drain");
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            foreach (var slot in new[] { "bench_ours_1", "bench_ours_2", "bench_recvlogical_1", "bench_recvlogical_2" })
            {
                await connection.ExecuteAsync("SELECT pg_create_logical_replication_slot(@slot, 'pgoutput')", new { slot });
            }
        }

        var generator = new TickGenerator(500, seed: 7);
        var store = new TickStore(database.DataSource);
        var start = DateTimeOffset.UtcNow;
        var fill = Stopwatch.StartNew();
        for (var i = 0; i < Rows / Batch; i++)
        {
            await store.AppendAsync(Enumerable.Range(0, Batch).Select(j => generator.Next(start.AddTicks((i * Batch + j) * 10L))));
        }

        string endLsn;
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            endLsn = await connection.ExecuteScalarAsync<string>("SELECT pg_current_wal_lsn()::text") ?? "";
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {Rows:N0} ticks in {Rows / Batch:N0} transactions in {fill.Elapsed.TotalSeconds:F1} s"));

        // ABBA order, so neither reader always gets the warmer cache.
        var ours1 = await OursAsync(database, endLsn, "bench_ours_1");
        var theirs1 = await RecvLogicalAsync(database, endLsn, "bench_recvlogical_1");
        var theirs2 = await RecvLogicalAsync(database, endLsn, "bench_recvlogical_2");
        var ours2 = await OursAsync(database, endLsn, "bench_ours_2");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  pipeline {ours1:N0} and {ours2:N0} ticks/s; pg_recvlogical {theirs1:N0} and {theirs2:N0} rows/s"));
        var ours = (ours1 + ours2) / 2;
        var theirs = (theirs1 + theirs2) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest-drain: pipeline {ours:N0} ticks/s, pg_recvlogical (pgoutput) {theirs:N0} rows/s, ratio {ours / theirs:F2} (target >= 0.8)"));
        return 0;
    }

    private static async Task<double> OursAsync(BenchDatabase database, string endLsn, string slot)
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new IngestMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        var options = new IngestOptions { SlotName = slot };
        var source = new ReplicationTickSource(database.ConnectionString, database.DataSource, options, metrics, NullLogger.Instance);
        var book = new QuoteBook(new TradingSession(TimeSpan.Zero));
        var replays = new ReplayBuffer(options.ReplayDepth);
        // A snapshot that saw nothing: every streamed tick becomes an update, as for a live stream.
        var nothingSeen = new TransactionSnapshot(1, 1, new HashSet<long>());
        var end = NpgsqlTypes.NpgsqlLogSequenceNumber.Parse(endLsn);
        long updates = 0;
        var done = new TaskCompletionSource();
        // The same query TickPipeline runs: one shared change stream, updates, then acknowledgements.
        var changes = Observable.Create<SourceEvent>(async (observer, ct) =>
        {
            await foreach (var change in source.ReadAsync(nothingSeen, ct))
            {
                observer.OnNext(change);
            }
        }).Publish();
        var stopwatch = Stopwatch.StartNew();
        using (changes.ToQuoteUpdates(book, nothingSeen).Do(replays.Add).Subscribe(_ => updates++))
        using (changes.Where(c => c.Kind == SourceEventKind.Commit).Subscribe(commit =>
               {
                   source.Acknowledge(commit.Position);
                   if (updates >= Rows || commit.Position >= (ulong)end)
                   {
                       done.TrySetResult();
                   }
               }))
        using (changes.Connect())
        {
            await done.Task;
        }

        stopwatch.Stop();
        if (updates != Rows)
        {
            throw new InvalidOperationException($"drained {updates} of {Rows} ticks");
        }

        return updates / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<double> RecvLogicalAsync(BenchDatabase database, string endLsn, string slot)
    {
        var elapsed = await database.RunClientAsync(PgBin("pg_recvlogical"),
        [
            "--slot", slot, "--start", "--no-loop", "-E", endLsn, "-f", "/dev/null",
            "-o", "proto_version=1", "-o", "publication_names=ticker_ticks", "-o", "binary=true",
        ]);
        return Rows / elapsed.TotalSeconds;
    }

    internal static string PgBin(string program)
    {
        var pgCtl = new FileInfo("/usr/local/bin/pg_ctl");
        var dir = pgCtl.LinkTarget is { } target ? Path.GetDirectoryName(target)! : Directory.GetDirectories("/usr/lib/postgresql").Order().Last() + "/bin";
        return Path.Combine(dir, program);
    }
}
