using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Ticker.Database.Migrations;
using Ticker.Testing;

namespace Ticker.Database.Tests;

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly EmptyTestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private DatabaseMigrator NewMigrator() => new(_database.DataSource, NullLogger<DatabaseMigrator>.Instance);

    [Fact]
    public async Task Migrate_FreshDatabase_AppliesEveryMigrationInOrder()
    {
        var applied = await NewMigrator().MigrateAsync();

        Assert.Equal(DatabaseMigrator.Embedded.Select(m => m.Version), applied);
        Assert.StartsWith("0001_", applied[0], StringComparison.Ordinal);
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var recorded = await connection.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY version");
        Assert.Equal(applied, recorded);
    }

    [Fact]
    public async Task Migrate_SecondRun_AppliesNothing()
    {
        await NewMigrator().MigrateAsync();

        var again = await NewMigrator().MigrateAsync();

        Assert.Empty(again);
    }

    [Fact]
    public async Task Migrate_FourHubsAtOnce_EachMigrationAppliedExactlyOnce()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => NewMigrator().MigrateAsync())));

        Assert.Equal(DatabaseMigrator.Embedded.Select(m => m.Version), runs.SelectMany(r => r).Order(StringComparer.Ordinal));
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        Assert.Equal(DatabaseMigrator.Embedded.Count, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void Embedded_VersionsAreNumberedWithoutGaps()
    {
        var numbers = DatabaseMigrator.Embedded.Select(m => int.Parse(m.Version[..4], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(Enumerable.Range(1, DatabaseMigrator.Embedded.Count), numbers);
    }
}
