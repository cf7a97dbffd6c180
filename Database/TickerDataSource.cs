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

        return builder.Build();
    }
}
