using Npgsql;

namespace Ticker.Database;

public static class TickerDataSource
{
    /// <summary>The service key of the history reads' own data source and tick store.</summary>
    public const string History = "history";

    /// <summary>The data source every part of Ticker shares; named so server logs show who is connected.</summary>
    public static NpgsqlDataSource Create(string connectionString) => Builder(connectionString).Build();

    /// <summary>
    /// History reads' own pool: at most <paramref name="maxPoolSize"/> connections, each statement
    /// cancelled by the server after <paramref name="statementTimeout"/>, named <c>ticker-history</c>.
    /// </summary>
    public static NpgsqlDataSource CreateHistory(string connectionString, TimeSpan statementTimeout, int maxPoolSize)
    {
        var builder = Builder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.ApplicationName += "-history";
        settings.MaxPoolSize = maxPoolSize;
        settings.MinPoolSize = Math.Min(settings.MinPoolSize, maxPoolSize);
        settings.Options = $"{settings.Options} -c statement_timeout={Math.Max(1, (long)statementTimeout.TotalMilliseconds)}".Trim();
        return builder.Build();
    }

    private static NpgsqlDataSourceBuilder Builder(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "ticker";
        }

        // JIT compilation costs ~8 ms on queries the planner prices high but that finish in a few
        // milliseconds, such as a day of bars: more than the query itself. Off unless configured.
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.Options))
        {
            builder.ConnectionStringBuilder.Options = "-c jit=off";
        }

        return builder;
    }
}
