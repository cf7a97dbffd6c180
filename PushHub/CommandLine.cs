using Ticker.Database;
using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Csv;

namespace Ticker.PushHub;

/// <summary>Commands the hub's executable runs instead of serving: <c>import FILE</c>, <c>import-symbols FILE</c>, <c>retention ...</c>, <c>epoch</c>.</summary>
internal static class CommandLine
{
    public const string Import = CsvImportCommand.Name;

    public const string ImportSymbols = SymbolImportCommand.Name;

    public const string Retention = RetentionCommand.Name;

    public const string Epoch = EpochCommand.Name;

    public static Task<int> RunImportAsync(string[] args) =>
        WithDatabaseAsync(Import, dataSource => CsvImportCommand.RunAsync(args, dataSource, Console.Out));

    public static Task<int> RunImportSymbolsAsync(string[] args) =>
        WithDatabaseAsync(ImportSymbols, dataSource => SymbolImportCommand.RunAsync(args, dataSource, Console.Out));

    public static Task<int> RunRetentionAsync(string[] args) =>
        WithDatabaseAsync(Retention, dataSource => RetentionCommand.RunAsync(args, dataSource, TimeProvider.System, Console.Out));

    public static Task<int> RunEpochAsync(string[] args) =>
        WithDatabaseAsync(Epoch, dataSource => EpochCommand.RunAsync(args, dataSource, Console.Out));

    private static async Task<int> WithDatabaseAsync(string command, Func<Npgsql.NpgsqlDataSource, Task<int>> run)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync($"{command}: ConnectionStrings:Ticker is not set (environment: ConnectionStrings__Ticker); `make {command}` sets it.");
            return 2;
        }

        await using var dataSource = TickerDataSource.Create(connectionString);
        try
        {
            return await run(dataSource);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.UndefinedTable or Npgsql.PostgresErrorCodes.UndefinedFunction)
        {
            // The commands do not migrate: older hubs still running would count positions the old way.
            await Console.Error.WriteLineAsync($"{command}: {e.MessageText}: the database's schema is older than this version; "
                + "upgrade the hubs (the first to start applies the migrations), then run this again.");
            return 2;
        }
    }
}
