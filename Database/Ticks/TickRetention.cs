using Npgsql;

namespace Ticker.Database.Ticks;

/// <summary>
/// Deletes old ticks without changing any position (migration 0005): each batch deletes some of a
/// symbol's ticks older than the cutoff and adds their number to <c>tick_retention.removed</c> in
/// the same statement, so <c>seq = removed + count(ticks)</c> reads the same in every snapshot,
/// before and after, and the epoch stays. Short transactions of at most a batch each: safe while
/// hubs run (deletes are not published to them, and they never re-count while running).
/// A symbol's latest tick (its current price, as a starting hub loads it) is never deleted, so
/// every symbol keeps a quote and a hub that starts later numbers it on from the same seq.
/// </summary>
public sealed class TickRetention(NpgsqlDataSource dataSource)
{
    public const int DefaultBatchSize = 10_000;

    // A loose index scan: one probe per distinct symbol instead of reading the table.
    private const string SymbolsSql = """
        WITH RECURSIVE symbols AS (
            (SELECT symbol FROM ticks ORDER BY symbol LIMIT 1)
            UNION ALL
            SELECT (SELECT t.symbol FROM ticks t WHERE t.symbol > s.symbol ORDER BY t.symbol LIMIT 1)
            FROM symbols s WHERE s.symbol IS NOT NULL
        )
        SELECT symbol FROM symbols WHERE symbol IS NOT NULL
        """;

    // The tick a starting hub would show as the symbol's price: the latest one dated between 1900
    // and now (StartupState allows a little more, never less; anything later is kept anyway).
    private const string KeepSql = """
        SELECT ts, id FROM ticks
        WHERE symbol = $1 AND ts >= TIMESTAMPTZ '1900-01-01 00:00:00+00' AND ts <= now()
        ORDER BY ts DESC, id DESC LIMIT 1
        """;

    // One batch: the oldest ticks before the cutoff and before the kept one, deleted, counted
    // and recorded in one statement (one transaction), so no snapshot sees one without the other.
    private const string BatchSql = """
        WITH gone AS (
            DELETE FROM ticks WHERE id = ANY (ARRAY(
                SELECT id FROM ticks WHERE symbol = $1 AND ts < $2 AND (ts, id) < ($3, $4) ORDER BY ts, id LIMIT $5))
            RETURNING ts, id),
        newest AS (SELECT ts, id FROM gone ORDER BY ts DESC, id DESC LIMIT 1),
        recorded AS (
            INSERT INTO tick_retention AS r (symbol, removed, removed_through_ts, removed_through_id)
            SELECT $1, (SELECT count(*) FROM gone), newest.ts, newest.id FROM newest
            ON CONFLICT (symbol) DO UPDATE SET
                removed = r.removed + excluded.removed,
                removed_through_ts = CASE WHEN (excluded.removed_through_ts, excluded.removed_through_id) > (r.removed_through_ts, r.removed_through_id)
                    THEN excluded.removed_through_ts ELSE r.removed_through_ts END,
                removed_through_id = CASE WHEN (excluded.removed_through_ts, excluded.removed_through_id) > (r.removed_through_ts, r.removed_through_id)
                    THEN excluded.removed_through_id ELSE r.removed_through_id END,
                removed_at = now())
        SELECT count(*) FROM gone
        """;

    /// <summary>
    /// Deletes every symbol's ticks stamped before <paramref name="cutoff"/> (except each one's latest),
    /// in batches of <paramref name="batchSize"/>; <paramref name="progress"/> hears each symbol's count.
    /// </summary>
    public async Task<RetentionResult> RunAsync(DateTimeOffset cutoff, int batchSize = DefaultBatchSize, Action<string, long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        using var activity = DatabaseActivity.Source.StartActivity("ticks.retention");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var symbols = new List<string>();
        await using (var command = new NpgsqlCommand(SymbolsSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                symbols.Add(reader.GetString(0));
            }
        }

        long total = 0;
        var touched = 0;
        foreach (var symbol in symbols)
        {
            var removed = await RunSymbolAsync(connection, symbol, cutoff, batchSize, cancellationToken);
            if (removed > 0)
            {
                total += removed;
                touched++;
                progress?.Invoke(symbol, removed);
            }
        }

        activity?.SetTag("ticker.rows", total);
        return new RetentionResult(total, touched);
    }

    private static async Task<long> RunSymbolAsync(NpgsqlConnection connection, string symbol, DateTimeOffset cutoff, int batchSize,
        CancellationToken cancellationToken)
    {
        TickCursor keep;
        await using (var command = new NpgsqlCommand(KeepSql, connection))
        {
            command.Parameters.Add(new() { Value = symbol });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return 0; // no tick a hub would show: leave the symbol as it is
            }

            keep = new TickCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1));
        }

        long removed = 0;
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Tells the ticks_rewritten trigger that these deletes keep positions: no new epoch.
            await using (var flag = new NpgsqlCommand("SET LOCAL ticker.retention = 'on'", connection, transaction))
            {
                await flag.ExecuteNonQueryAsync(cancellationToken);
            }

            long batch;
            await using (var command = new NpgsqlCommand(BatchSql, connection, transaction))
            {
                command.Parameters.Add(new() { Value = symbol });
                command.Parameters.Add(new() { Value = cutoff });
                command.Parameters.Add(new() { Value = keep.Ts });
                command.Parameters.Add(new() { Value = keep.Id });
                command.Parameters.Add(new() { Value = batchSize });
                batch = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            }

            await transaction.CommitAsync(cancellationToken);
            removed += batch;
            if (batch < batchSize)
            {
                return removed;
            }
        }
    }

    private const string RemovedThroughSql = "SELECT removed_through_ts, removed_through_id FROM tick_retention WHERE symbol = $1";

    /// <summary>The newest (ts, id) of <paramref name="symbol"/> that retention deleted, or null when it deleted none.</summary>
    public static async Task<TickCursor?> RemovedThroughAsync(NpgsqlDataSource dataSource, string symbol, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(RemovedThroughSql);
        command.Parameters.Add(new() { Value = symbol });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TickCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1))
            : null;
    }
}
