using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>The hub in-process against a database of its own on the real PostgreSQL; feed off unless a test turns it on.</summary>
public sealed class HubFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public Dictionary<string, string?> Settings { get; } = new() { ["Feed:Enabled"] = "false" };

    public async Task InitializeAsync() => await Database.InitializeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Ticker", Database.ConnectionString);
        builder.UseSetting("Ingest:SlotName", Database.Name); // slot names are cluster-wide
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
