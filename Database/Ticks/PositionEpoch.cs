using Npgsql;

namespace Ticker.Database.Ticks;

/// <summary>
/// The epoch of positions (migration 0005): a short opaque name for the numbering that every
/// symbol's <c>seq</c> belongs to. A position is "seq N in epoch E"; when the epoch changes, old
/// positions may name other data, so the hubs answer a resume from another epoch with a reset.
/// It changes by itself when ticks are truncated, updated or deleted other than by
/// <see cref="TickRetention"/>, and by <see cref="RotateAsync"/> (after restoring a backup).
/// </summary>
public static class PositionEpoch
{
    private const string ReadSql = "SELECT epoch FROM ticker_epoch";

    /// <summary>The current epoch, read in <paramref name="transaction"/> (so under the same snapshot as the quotes it numbers).</summary>
    public static async Task<string> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(ReadSql, connection, transaction);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<string> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, cancellationToken);
    }

    private const string RotateSql = "SELECT ticker_rotate_epoch($1)";

    /// <summary>Starts a new epoch, recording <paramref name="reason"/>; returns it.</summary>
    public static async Task<string> RotateAsync(NpgsqlDataSource dataSource, string reason, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(RotateSql);
        command.Parameters.Add(new() { Value = reason });
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
