using Npgsql;

namespace Ticker.Database;

public static class TickerDataSource
{
    /// <summary>The data source every part of Ticker shares; named so server logs show who is connected.</summary>
    public static NpgsqlDataSource Create(string connectionString)
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

        return builder.Build();
    }
}
