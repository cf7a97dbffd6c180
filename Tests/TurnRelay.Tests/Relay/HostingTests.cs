using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay.Relay;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Relay;

/// <summary>Bundled mode: AddTurnRelay binds section "Turn", validates on start, runs when Enabled.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task AddTurnRelay_Enabled_BindsOptionsAndServesAllocations()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Turn:Enabled"] = "true",
            ["Turn:Port"] = "0",
            ["Turn:ListeningIp"] = "127.0.0.1",
            ["Turn:Realm"] = TestServer.Realm,
            ["Turn:StaticAuthSecret"] = "hub-secret",
            ["Turn:Users:alice"] = TestServer.Password,
            ["Turn:AllowLoopbackPeers"] = "true",
            ["Turn:MinPort"] = "30000",
            ["Turn:MaxPort"] = "30999",
            ["Turn:NoTls"] = "true",
        });
        builder.AddTurnRelay();
        using var host = builder.Build();
        // Keyed by instrument: other tests' relays in this process publish meters of the same name.
        var measurements = new Dictionary<Instrument, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Ticker.TurnRelay")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (measurements)
            {
                measurements[instrument] = value;
            }
        });
        listener.Start();

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<TurnRelayOptions>>().Value;
        var server = host.Services.GetRequiredService<TurnServer>();
        using (var client = new TestTurnClient(server.UdpEndPoints[0], TestServer.User, TestServer.Password, TestServer.Realm))
        {
            Assert.True(client.Allocate().IsSuccess);
        }
        listener.RecordObservableInstruments();
        await host.StopAsync();
        Dictionary<string, long> ours;
        lock (measurements)
        {
            ours = measurements.Where(m => m.Key.Meter == server.Metrics.Meter).ToDictionary(m => m.Key.Name, m => m.Value);
        }

        Assert.Equal("hub-secret", options.StaticAuthSecret);
        Assert.Equal(30000, options.MinPort);
        Assert.True(options.AllowLoopbackPeers);
        Assert.Equal(1, ours["turn.allocations.created"]);
        Assert.Contains("turn.relayed.datagrams", ours.Keys);
        Assert.Contains("turn.auth.failures", ours.Keys);
    }

    [Fact]
    public void AddTurnRelay_Disabled_RegistersNoServer()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddTurnRelay();
        using var host = builder.Build();

        Assert.Null(host.Services.GetService<TurnServer>());
        Assert.Equal(3478, host.Services.GetRequiredService<IOptions<TurnRelayOptions>>().Value.Port);
    }

    [Fact]
    public async Task AddTurnRelay_InvalidSetting_FailsAtStartNamingIt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Turn:Enabled"] = "true",
            ["Turn:StaticAuthSecret"] = "x",
            ["Turn:MinPort"] = "60000",
            ["Turn:MaxPort"] = "50000",
        });
        builder.AddTurnRelay();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Turn:MinPort", error.Message, StringComparison.Ordinal);
    }
}
