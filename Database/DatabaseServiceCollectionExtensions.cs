using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Ticker.Database.Migrations;
using Ticker.Database.Reference;
using Ticker.Database.Ticks;

namespace Ticker.Database;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers the one <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:Ticker</c>, the
    /// tick store, the symbol directory, and the migrations that run before the host starts serving.
    /// </summary>
    public static IHostApplicationBuilder AddTickerDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .Configure<IConfiguration>((o, config) =>
                o.ConnectionString = config.GetConnectionString(DatabaseOptions.ConnectionStringName) ?? "")
            .BindConfiguration("Database")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        builder.Services.AddSingleton(sp =>
            TickerDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        builder.Services.AddSingleton<TickStore>();
        builder.Services.AddKeyedSingleton(TickerDataSource.History, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return TickerDataSource.CreateHistory(options.ConnectionString, options.HistoryStatementTimeout, options.HistoryMaxPoolSize);
        });
        builder.Services.AddKeyedSingleton(TickerDataSource.History, (sp, key) =>
            new TickStore(sp.GetRequiredKeyedService<NpgsqlDataSource>(key)));
        builder.Services.AddSingleton<SymbolDirectory>();
        // Searches are reads like history: the history pool's statement timeout bounds them.
        builder.Services.AddKeyedSingleton(TickerDataSource.History, (sp, key) =>
            new SymbolDirectory(sp.GetRequiredKeyedService<NpgsqlDataSource>(key)));
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }
}
