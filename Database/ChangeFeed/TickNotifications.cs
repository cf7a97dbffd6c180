using Npgsql;

namespace Ticker.Database.ChangeFeed;

/// <summary>The <c>ticks_notify</c> trigger's channel (migration 0002): one notification per inserting statement.</summary>
public static class TickNotifications
{
    public const string Channel = "ticker_ticks";

    /// <summary>
    /// A connection of its own that listens on <see cref="Channel"/>; wait on it with
    /// <see cref="NpgsqlConnection.WaitAsync(TimeSpan, CancellationToken)"/>. Listen before reading,
    /// so a commit between the read and the wait still wakes the reader.
    /// </summary>
    public static async Task<NpgsqlConnection> ListenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
