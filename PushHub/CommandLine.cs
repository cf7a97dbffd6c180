using Ticker.Database;
using Ticker.Ingest.Feeds.Csv;

namespace Ticker.PushHub;

/// <summary>Commands the hub's executable runs instead of serving: <c>import FILE</c>.</summary>
internal static class CommandLine
{
    public const string Import = CsvImportCommand.Name;

    public static async Task<int> RunImportAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("import: ConnectionStrings:Ticker is not set (environment: ConnectionStrings__Ticker); `make import` sets it.");
            return 2;
        }

        await using var dataSource = TickerDataSource.Create(connectionString);
        return await CsvImportCommand.RunAsync(args, dataSource, Console.Out);
    }
}
