using Microsoft.Extensions.Options;
using Npgsql;

namespace Ticker.Database;

/// <summary>Where the tick store lives: <c>ConnectionStrings:Ticker</c>.</summary>
public sealed class DatabaseOptions
{
    public const string ConnectionStringName = "Ticker";

    public string ConnectionString { get; set; } = "";
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
