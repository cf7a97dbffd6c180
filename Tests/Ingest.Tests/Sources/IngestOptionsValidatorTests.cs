using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Tests.Sources;

/// <summary><c>Ingest:Source</c> is checked against the registered sources, and the error lists them.</summary>
[Trait("Tier", "Fast")]
public sealed class IngestOptionsValidatorTests
{
    [Theory]
    [InlineData("auto")]
    [InlineData("replication")]
    [InlineData("notify")]
    public void Validate_RegisteredNameOrAuto_Succeeds(string source) =>
        Assert.True(new IngestOptionsValidator(TickSourceRegistration.BuiltIn).Validate(null, new IngestOptions { Source = source }).Succeeded);

    [Fact]
    public void Validate_UnknownName_FailsListingEveryAcceptedValue()
    {
        var result = new IngestOptionsValidator(TickSourceRegistration.BuiltIn).Validate(null, new IngestOptions { Source = "carrier-pigeon" });

        Assert.Equal("Ingest:Source must be auto, replication or notify.", result.FailureMessage);
    }

    [Fact]
    public void Validate_AnotherSourceRegistered_AcceptsItAndNamesIt()
    {
        var relay = new TickSourceRegistration("relay", NotifyTickSource.Registration.WhyUnavailableAsync, NotifyTickSource.Registration.Create);
        var validator = new IngestOptionsValidator([.. TickSourceRegistration.BuiltIn, relay]);

        Assert.True(validator.Validate(null, new IngestOptions { Source = "relay" }).Succeeded);
        Assert.Equal("Ingest:Source must be auto, replication, notify or relay.",
            validator.Validate(null, new IngestOptions { Source = "pigeon" }).FailureMessage);
    }
}
