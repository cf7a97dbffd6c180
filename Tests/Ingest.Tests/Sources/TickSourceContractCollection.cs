namespace Ticker.Ingest.Tests.Sources;

/// <summary>The contract suites run one after another: each restarts the one private cluster they share.</summary>
[CollectionDefinition(Name)]
public sealed class TickSourceContractCollection
{
    public const string Name = "tick source contract";
}
