using System.Globalization;
using Npgsql;

namespace Ticker.Database.Ticks;

/// <summary>
/// <c>retention --older-than 30d | --before 2026-01-01 [--batch-size N]</c>: deletes old ticks
/// (<see cref="TickRetention"/>) without changing any position, safe while hubs run.
/// Exit codes: 0 done (also when nothing was old enough), 2 usage errors.
/// </summary>
public static class RetentionCommand
{
    public const string Name = "retention";

    public const string Usage = "usage: retention --older-than AGE | --before TIME [--batch-size N]   (AGE: 30d, 12h, 90m; TIME: ISO 8601, UTC unless it says)";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, NpgsqlDataSource dataSource, TimeProvider clock, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        DateTimeOffset? cutoff = null;
        var batchSize = TickRetention.DefaultBatchSize;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--older-than" when value is not null && TryParseAge(value, out var age):
                    cutoff = clock.GetUtcNow() - age;
                    i++;
                    break;
                case "--before" when value is not null
                    && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var before):
                    cutoff = before;
                    i++;
                    break;
                case "--batch-size" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                    && size is > 0 and <= 1_000_000:
                    batchSize = size;
                    i++;
                    break;
                case "--older-than" or "--before" or "--batch-size":
                    await output.WriteLineAsync($"retention: {args[i]} needs a valid value (got {value ?? "nothing"})\n{Usage}");
                    return 2;
                default:
                    await output.WriteLineAsync($"retention: unknown argument {args[i]}\n{Usage}");
                    return 2;
            }
        }

        if (cutoff is not { } at)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        var result = await new TickRetention(dataSource).RunAsync(at, batchSize,
            (symbol, removed) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{symbol}: deleted {removed} ticks")), cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"retention: deleted {result.Removed} ticks before {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} of {result.Symbols} symbols; positions and the epoch are unchanged"));
        return 0;
    }

    /// <summary>30d, 12h, 90m, 45s, or a TimeSpan (1.12:00:00); positive.</summary>
    internal static bool TryParseAge(string text, out TimeSpan age)
    {
        age = TimeSpan.Zero;
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1])
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            double? hours = text[^1] switch { 'd' => amount * 24, 'h' => amount, 'm' => amount / 60, 's' => amount / 3600, _ => null };
            if (hours is not { } h || h > TimeSpan.MaxValue.TotalHours / 2)
            {
                return false;
            }

            age = TimeSpan.FromHours(h);
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out age))
        {
            return false;
        }

        return age > TimeSpan.Zero;
    }
}
