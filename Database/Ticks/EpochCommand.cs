using Npgsql;

namespace Ticker.Database.Ticks;

/// <summary>
/// <c>epoch</c> prints the epoch of positions; <c>epoch --rotate REASON</c> starts a new one, so
/// every hub resets clients that resume from older positions. Run it after restoring a backup or
/// loading ticks by a path the triggers cannot see (a database replaced under the hubs).
/// </summary>
public static class EpochCommand
{
    public const string Name = "epoch";

    public const string Usage = "usage: epoch [--rotate REASON]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, NpgsqlDataSource dataSource, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        switch (args)
        {
            case []:
                await output.WriteLineAsync(await PositionEpoch.ReadAsync(dataSource, cancellationToken));
                return 0;
            case ["--rotate", var reason] when reason.Length > 0:
                var epoch = await PositionEpoch.RotateAsync(dataSource, reason, cancellationToken);
                await output.WriteLineAsync($"epoch: now {epoch}; a hub adopts it when it next loads its state (restart the hubs to adopt it now)");
                return 0;
            default:
                await output.WriteLineAsync(Usage);
                return 2;
        }
    }
}
