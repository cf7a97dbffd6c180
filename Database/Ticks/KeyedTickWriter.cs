using Npgsql;

namespace Ticker.Database.Ticks;

/// <summary>
/// Ticks written under an idempotency key: the key is claimed first, then the ticks stream in
/// through one binary COPY, and both commit in one transaction. A key that was already committed
/// makes the writer a <see cref="Duplicate"/> that writes nothing; a key being written by another
/// call right now waits for that call to end (PostgreSQL's own unique-index wait), so two racing
/// retries still write once. Disposing without <see cref="CommitAsync"/> rolls everything back.
/// </summary>
public sealed class KeyedTickWriter : IAsyncDisposable
{
    private const string ClaimSql = "INSERT INTO publish_keys (publisher, key) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    private const string EarlierSql = "SELECT accepted FROM publish_keys WHERE publisher = $1 AND key = $2";
    private const string RecordSql = "UPDATE publish_keys SET accepted = $3 WHERE publisher = $1 AND key = $2";
    private const string ExpireSql = "DELETE FROM publish_keys WHERE created_at < now() - $1";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _publisher;
    private readonly string _key;
    private TickCopyWriter? _copy;

    private KeyedTickWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, string publisher, string key)
    {
        _connection = connection;
        _transaction = transaction;
        _publisher = publisher;
        _key = key;
    }

    /// <summary>Whether the key was committed before: nothing will be written.</summary>
    public bool Duplicate { get; private set; }

    /// <summary>For a <see cref="Duplicate"/>, how many ticks the committed call wrote.</summary>
    public long EarlierAccepted { get; private set; }

    public static async Task<KeyedTickWriter> BeginAsync(NpgsqlDataSource dataSource, string publisher, string key, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var writer = new KeyedTickWriter(connection, transaction, publisher, key);
            if (await writer.ExecuteAsync(ClaimSql, null, cancellationToken) == 0)
            {
                writer.Duplicate = true;
                await using var earlier = writer.Command(EarlierSql, null);
                writer.EarlierAccepted = (long)(await earlier.ExecuteScalarAsync(cancellationToken))!;
            }
            else
            {
                writer._copy = await TickCopyWriter.BeginAsync(connection, cancellationToken);
            }

            return writer;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask WriteAsync(Tick tick, CancellationToken cancellationToken) =>
        _copy is null ? ValueTask.CompletedTask : _copy.WriteAsync(tick, cancellationToken);

    /// <summary>Commits the ticks with their key; returns how many were written (0 for a duplicate).</summary>
    public async Task<long> CommitAsync(CancellationToken cancellationToken)
    {
        if (_copy is null)
        {
            return 0;
        }

        var written = await _copy.CompleteAsync(cancellationToken);
        await _copy.DisposeAsync();
        _copy = null;
        await ExecuteAsync(RecordSql, written, cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>Deletes keys older than <paramref name="retention"/>; a retry after that would write again.</summary>
    public static async Task<int> ExpireAsync(NpgsqlDataSource dataSource, TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ExpireSql);
        command.Parameters.Add(new NpgsqlParameter { Value = retention });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            await _copy.DisposeAsync();
        }

        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private NpgsqlCommand Command(string sql, long? accepted)
    {
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = _publisher });
        command.Parameters.Add(new NpgsqlParameter { Value = _key });
        if (accepted is { } n)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = n });
        }

        return command;
    }

    private async Task<int> ExecuteAsync(string sql, long? accepted, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, accepted);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
