using System.Data;
using Npgsql;
using Ticker.Database.Ticks;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// Every symbol's quote as of one snapshot of the table, and that snapshot: the pipeline skips
/// streamed transactions the snapshot already saw (see <see cref="TransactionSnapshot"/>).
/// </summary>
public sealed record StartupState(TransactionSnapshot Snapshot, IReadOnlyList<Quote> Quotes)
{
    /// <summary>The numbering the quotes' seqs belong to, read under the same snapshot (see <see cref="PositionEpoch"/>).</summary>
    public string Epoch { get; init; } = "";

    // Per symbol: how many ticks (the sequence number so far), the latest tick, the latest
    // known bid and ask, and the latest tick's session's open/high/low/volume. The sessions are
    // date_bin days aligned at the configured UTC start, exactly as TradingSession computes them.
    // The latest tick is the latest plausible one (see TickTime; rows from before migration 0003
    // may be infinite or dated in the future): one such row must not freeze the symbol at every
    // start. The count still counts every row, as the live pipeline does, plus those the retention
    // command removed (migration 0005), so deleting old ticks never lowers a seq.
    private const string QuotesSql = """
        WITH counts AS (
            SELECT t.symbol, count(*) + coalesce((SELECT r.removed FROM tick_retention r WHERE r.symbol = t.symbol), 0) AS n
            FROM ticks t GROUP BY t.symbol)
        SELECT c.symbol, c.n, l.ts, l.price, l.size,
               (SELECT bid FROM ticks b WHERE b.symbol = c.symbol AND b.bid IS NOT NULL AND b.ts <= l.ts ORDER BY ts DESC, id DESC LIMIT 1),
               (SELECT ask FROM ticks a WHERE a.symbol = c.symbol AND a.ask IS NOT NULL AND a.ts <= l.ts ORDER BY ts DESC, id DESC LIMIT 1),
               (SELECT price FROM ticks o WHERE o.symbol = c.symbol AND o.ts >= s.start ORDER BY ts, id LIMIT 1),
               d.high, d.low, d.volume, s.start
        FROM counts c
        CROSS JOIN LATERAL (
            SELECT ts, price, size FROM ticks t
            WHERE t.symbol = c.symbol AND t.ts >= TIMESTAMPTZ '1900-01-01 00:00:00+00' AND t.ts <= now() + $2
            ORDER BY ts DESC, id DESC LIMIT 1) l
        CROSS JOIN LATERAL (SELECT date_bin('1 day', l.ts, TIMESTAMPTZ '2001-01-01 00:00:00+00' + $1) AS start) s
        CROSS JOIN LATERAL (
            SELECT max(price) AS high, min(price) AS low, sum(size)::bigint AS volume
            FROM ticks d WHERE d.symbol = c.symbol AND d.ts >= s.start AND d.ts < s.start + interval '1 day'
        ) d
        """;

    public static Task<StartupState> LoadAsync(NpgsqlDataSource dataSource, TradingSession session, TimeSpan futureSkew, CancellationToken cancellationToken) =>
        LoadAsync(dataSource, session, futureSkew, exportedSnapshot: null, cancellationToken);

    /// <summary>
    /// Reads the state under <paramref name="exportedSnapshot"/> (a temporary slot's, so the state ends
    /// exactly where the slot's stream begins), or under a snapshot of its own when null.
    /// </summary>
    public static async Task<StartupState> LoadAsync(NpgsqlDataSource dataSource, TradingSession session, TimeSpan futureSkew,
        string? exportedSnapshot, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        if (exportedSnapshot is not null)
        {
            // The name comes from the server (e.g. 00000003-0000001B-1); it cannot be a parameter.
            await using var use = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{exportedSnapshot.Replace("'", "''", StringComparison.Ordinal)}'",
                connection, transaction);
            await use.ExecuteNonQueryAsync(cancellationToken);
        }

        TransactionSnapshot snapshot;
        await using (var command = new NpgsqlCommand("SELECT pg_current_snapshot()::text", connection, transaction))
        {
            snapshot = TransactionSnapshot.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!);
        }

        var quotes = new List<Quote>();
        await using (var command = new NpgsqlCommand(QuotesSql, connection, transaction))
        {
            command.CommandTimeout = 0;
            command.Parameters.Add(new NpgsqlParameter { Value = session.StartUtc });
            command.Parameters.Add(new NpgsqlParameter { Value = futureSkew });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                quotes.Add(new Quote(
                    Symbol: reader.GetString(0),
                    Seq: reader.GetInt64(1),
                    Last: Numeric.Trim(reader.GetDecimal(3)),
                    Bid: reader.IsDBNull(5) ? null : Numeric.Trim(reader.GetDecimal(5)),
                    Ask: reader.IsDBNull(6) ? null : Numeric.Trim(reader.GetDecimal(6)),
                    Size: reader.GetInt64(4),
                    Open: Numeric.Trim(reader.GetDecimal(7)),
                    High: Numeric.Trim(reader.GetDecimal(8)),
                    Low: Numeric.Trim(reader.GetDecimal(9)),
                    Volume: reader.GetInt64(10),
                    Ts: reader.GetFieldValue<DateTimeOffset>(2),
                    SessionStart: reader.GetFieldValue<DateTimeOffset>(11)));
            }
        }

        var epoch = await PositionEpoch.ReadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StartupState(snapshot, quotes) { Epoch = epoch };
    }
}
