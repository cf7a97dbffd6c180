using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Tests.Sources;

/// <summary>Logical replication through a temporary slot per run (the default) against the source contract.</summary>
[Collection(TickSourceContractCollection.Name)]
public sealed class ReplicationTemporarySlotContractTests : TickSourceContract
{
    protected override TickSourceRegistration Registration => ReplicationTickSource.Registration;
}
