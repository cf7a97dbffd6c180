using Microsoft.Extensions.Hosting;

namespace Ticker.Database.Migrations;

/// <summary>Runs the migrations during host start, before anything reads or writes ticks.</summary>
internal sealed class MigrationHostedService(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
