using Microsoft.Extensions.Configuration;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// What a hub does when started from the shipped files alone: pointed at a real database, it must
/// not write made-up prices into it. The simulated feed belongs to <c>make run</c>.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ShippedSettingsTests
{
    [Fact]
    public void AppSettings_SimulatedFeedOff()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryRoot.Path, "PushHub", "appsettings.json"), optional: false)
            .Build();

        Assert.False(configuration.GetValue<bool>("Feed:Enabled"));
    }

    [Fact]
    public void MakeRun_TurnsTheSimulatedFeedOn()
    {
        var makefile = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Makefile"));
        var run = makefile[makefile.IndexOf("\nrun:", StringComparison.Ordinal)..];
        run = run[..run.IndexOf("\n\n", StringComparison.Ordinal)];

        Assert.Contains("Feed__Enabled=\"$${Feed__Enabled:-true}\"", run, StringComparison.Ordinal);
    }
}
