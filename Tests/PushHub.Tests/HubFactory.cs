using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ticker.PushHub.Push;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>The hub in-process against a database of its own on the real PostgreSQL; feed off unless a test turns it on.</summary>
public sealed class HubFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly bool _ownsDatabase = true;

    public HubFactory()
    {
        Database = new();
    }

    /// <summary>A hub on a database the test owns (already initialized; not dropped with the hub). Not public: a class fixture has one public constructor.</summary>
    internal HubFactory(TestDatabase shared)
    {
        Database = shared;
        _ownsDatabase = false;
    }

    public TestDatabase Database { get; }

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Feed:Enabled"] = "false",
        ["Turn:Enabled"] = "false",
        ["WebRtc:Port"] = "0", // a free UDP port of its own: test classes run side by side
        ["WebRtc:ListenAddress"] = "127.0.0.1",
    };

    /// <summary>Replaces services after the hub registered its own (a fake clock for one component, say).</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    public async Task InitializeAsync()
    {
        if (_ownsDatabase)
        {
            await Database.InitializeAsync();
        }
    }

    /// <summary>Starts the hub on a real loopback socket (Kestrel) and returns its ws:// address.</summary>
    public async Task<Uri> StartOnSocketAsync()
    {
        UseKestrel();
        StartServer();
        // A publisher's pipeline starts only once it leads (and it has no quote feed to serve).
        if (Settings.GetValueOrDefault("Ingest:Mode") != "publisher")
        {
            await Services.GetRequiredService<IQuoteFeed>().Started;
        }

        var grpcPort = Settings.TryGetValue("Hub:GrpcPort", out var port) ? $":{port}" : "(none)";
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => !a.EndsWith(grpcPort, StringComparison.Ordinal));
        return new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Ticker", Database.ConnectionString);
        builder.UseSetting("Ingest:SlotName", Database.Name); // slot names are cluster-wide
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => TestServices?.Invoke(services));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
