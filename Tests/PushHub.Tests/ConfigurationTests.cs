using Microsoft.Extensions.Options;

namespace Ticker.PushHub.Tests;

/// <summary>A bad setting stops the hub at start with a message that names the setting.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("ConnectionStrings:Ticker", "", "ConnectionStrings:Ticker is not set")]
    [InlineData("ConnectionStrings:Ticker", "Hots=nowhere", "ConnectionStrings:Ticker is not a valid PostgreSQL connection string")]
    [InlineData("Feed:Symbols", "0", "Feed:Symbols must be between 1 and 100000.")]
    [InlineData("Feed:TicksPerSecond", "-5", "Feed:TicksPerSecond must be between 1 and 1000000.")]
    public async Task Start_BadSetting_FailsNamingIt(string key, string value, string message)
    {
        await using var hub = new HubFactory();
        await hub.InitializeAsync();
        hub.Settings[key] = value;

        var error = Assert.ThrowsAny<OptionsValidationException>(() => hub.CreateClient());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
