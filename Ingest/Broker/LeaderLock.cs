using Npgsql;

namespace Ticker.Ingest.Broker;

/// <summary>
/// Leadership among publishers: a PostgreSQL session advisory lock held on a dedicated, unpooled
/// connection. PostgreSQL releases it when that connection ends for any reason (clean stop, kill -9,
/// a network the server's keepalives find dead), so a standby's next try takes it over.
/// </summary>
public sealed class LeaderLock(string connectionString, string name, TimeSpan interval) : IAsyncDisposable
{
    // Unpooled: a pooled connection returned to the pool would keep the lock without anyone leading.
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false, KeepAlive = 5, TcpKeepAlive = true, CommandTimeout = 10,
    }.ConnectionString;

    private NpgsqlConnection? _connection;

    /// <summary>Returns once this process holds the lock; tries every interval, through lost connections.</summary>
    public async Task AcquireAsync(Action<Exception>? onError, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                _connection ??= await OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@name, 0))", _connection);
                command.Parameters.AddWithValue("name", name);
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    return;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                onError?.Invoke(e);
                await DropConnectionAsync();
            }

            await Task.Delay(interval, cancellationToken);
        }
    }

    /// <summary>Completes when the lock is lost (its connection failed); checks every interval.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(interval, cancellationToken);
            try
            {
                await using var command = new NpgsqlCommand("SELECT 1", _connection);
                await command.ExecuteScalarAsync(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                await DropConnectionAsync();
                return;
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public ValueTask DisposeAsync() => new(DropConnectionAsync());
}
