using Microsoft.Extensions.Options;
using Npgsql;

namespace Ticker.Database;

/// <summary>Where the tick store lives: <c>ConnectionStrings:Ticker</c>.</summary>
public sealed class DatabaseOptions
{
    public const string ConnectionStringName = "Ticker";

    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// <c>Database:HistoryStatementTimeout</c>: how long one history read (ticks, bars) may run.
    /// History has a pool of its own (<see cref="HistoryMaxPoolSize"/>), so however it is used it
    /// cannot take the connections or the time that feed writes, Publish and the pipeline need.
    /// </summary>
    public TimeSpan HistoryStatementTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Database:HistoryMaxPoolSize</c>: connections history reads may hold at once.</summary>
    public int HistoryMaxPoolSize { get; set; } = 10;
}

/// <summary>Fails start-up with a message that names the setting.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "ConnectionStrings:Ticker is not set. Set it (environment: ConnectionStrings__Ticker) to a PostgreSQL "
                + "connection string, or start the service with `make run`, which starts a project-local cluster.");
        }

        if (options.HistoryStatementTimeout < TimeSpan.FromMilliseconds(1) || options.HistoryStatementTimeout > TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail("Database:HistoryStatementTimeout must be between 00:00:00.001 and 01:00:00.");
        }

        if (options.HistoryMaxPoolSize is < 1 or > 1000)
        {
            return ValidateOptionsResult.Fail("Database:HistoryMaxPoolSize must be between 1 and 1000.");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:Ticker is not a valid PostgreSQL connection string: {e.Message}");
        }
    }
}
