using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using Ticker.Database.Ticks;

namespace Ticker.Database.ChangeFeed;

/// <summary>
/// Reads ticks by the transaction that inserted them (column <c>txid</c>, migration 0002), under one
/// repeatable-read snapshot. Below <see cref="Horizon"/> every transaction has ended, so the ticks of
/// transactions under it form a set that can never grow later, unlike "ids above N" (ids are
/// assigned at INSERT, not at commit). Disposing ends the snapshot.
/// </summary>
public sealed class CommittedTickReader : IAsyncDisposable
{
    private const string HorizonSql = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    private const string PageSql = """
        SELECT id, symbol, ts, price, size, bid, ask, txid FROM ticks
        WHERE txid >= $1 AND txid < $2 AND (txid, id) > ($3, $4)
        ORDER BY txid, id
        LIMIT $5
        """;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private CommittedTickReader(NpgsqlConnection connection, NpgsqlTransaction transaction, long horizon)
    {
        _connection = connection;
        _transaction = transaction;
        Horizon = horizon;
    }

    /// <summary>The oldest transaction still running when the snapshot was taken: every older one has ended.</summary>
    public long Horizon { get; }

    public static async Task<CommittedTickReader> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using var command = new NpgsqlCommand(HorizonSql, connection, transaction);
            var horizon = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            return new CommittedTickReader(connection, transaction, horizon);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One keyset page: at most <paramref name="limit"/> ticks of transactions in
    /// [<paramref name="fromTxid"/>, <paramref name="toTxid"/>) after (<paramref name="afterTxid"/>,
    /// <paramref name="afterId"/>), ordered by (txid, id).
    /// </summary>
    public async IAsyncEnumerable<TransactionTick> ReadPageAsync(long fromTxid, long toTxid, long afterTxid, long afterId, int limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PageSql, _connection, _transaction);
        command.Parameters.Add(new() { Value = fromTxid });
        command.Parameters.Add(new() { Value = toTxid });
        command.Parameters.Add(new() { Value = afterTxid });
        command.Parameters.Add(new() { Value = afterId });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var tick = new StoredTick(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), Numeric.Trim(reader.GetDecimal(3)),
                reader.GetInt64(4), reader.IsDBNull(5) ? null : Numeric.Trim(reader.GetDecimal(5)), reader.IsDBNull(6) ? null : Numeric.Trim(reader.GetDecimal(6)));
            yield return new TransactionTick(reader.GetInt64(7), tick);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
