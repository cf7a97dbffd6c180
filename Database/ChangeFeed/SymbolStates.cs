using System.Data;
using Npgsql;
using Ticker.Database.Ticks;

namespace Ticker.Database.ChangeFeed;

/// <summary>Every symbol's state as of one snapshot of <c>ticks</c>, from which a change stream continues.</summary>
public static class SymbolStates
{
    // Per symbol: how many ticks (the sequence number so far), the latest tick, the latest
    // known bid and ask, and the latest tick's session's open/high/low/volume. The sessions are
    // date_bin days aligned at the given UTC time of day ($1), so a reader that bins live ticks
    // the same way continues them seamlessly.
    // The latest tick is the latest plausible one (see TickTime; rows from before migration 0003
    // may be infinite or dated in the future): one such row must not freeze the symbol at every
    // start. The count still counts every row, as the live pipeline does, plus those the retention
    // command removed (migration 0005), so deleting old ticks never lowers a seq.
    private const string StatesSql = """
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

    /// <summary>
    /// Reads every symbol's state under <paramref name="exportedSnapshot"/> (a temporary replication
    /// slot's, so the state ends exactly where the slot's stream begins), or under a snapshot of its
    /// own when null; returns the snapshot as <c>pg_current_snapshot()</c> text with the states and the
    /// epoch their positions belong to (<see cref="PositionEpoch"/>), read under the same snapshot.
    /// </summary>
    /// <param name="sessionStartUtc">UTC time of day at which a session starts.</param>
    /// <param name="futureSkew">How far ahead of now a tick may be stamped and still count as the latest.</param>
    public static async Task<SymbolStateSet> ReadAsync(NpgsqlDataSource dataSource, TimeSpan sessionStartUtc, TimeSpan futureSkew,
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

        string snapshot;
        await using (var command = new NpgsqlCommand("SELECT pg_current_snapshot()::text", connection, transaction))
        {
            snapshot = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        var states = new List<SymbolState>();
        await using (var command = new NpgsqlCommand(StatesSql, connection, transaction))
        {
            command.CommandTimeout = 0;
            command.Parameters.Add(new NpgsqlParameter { Value = sessionStartUtc });
            command.Parameters.Add(new NpgsqlParameter { Value = futureSkew });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                states.Add(new SymbolState(
                    Symbol: reader.GetString(0),
                    Count: reader.GetInt64(1),
                    Ts: reader.GetFieldValue<DateTimeOffset>(2),
                    Last: Numeric.Trim(reader.GetDecimal(3)),
                    Size: reader.GetInt64(4),
                    Bid: reader.IsDBNull(5) ? null : Numeric.Trim(reader.GetDecimal(5)),
                    Ask: reader.IsDBNull(6) ? null : Numeric.Trim(reader.GetDecimal(6)),
                    Open: Numeric.Trim(reader.GetDecimal(7)),
                    High: Numeric.Trim(reader.GetDecimal(8)),
                    Low: Numeric.Trim(reader.GetDecimal(9)),
                    Volume: reader.GetInt64(10),
                    SessionStart: reader.GetFieldValue<DateTimeOffset>(11)));
            }
        }

        var epoch = await PositionEpoch.ReadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SymbolStateSet(snapshot, states, epoch);
    }
}
