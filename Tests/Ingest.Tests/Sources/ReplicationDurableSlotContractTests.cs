using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Tests.Sources;

/// <summary>Logical replication through a durable slot (<c>Ingest:SlotName</c> set) against the source contract.</summary>
[Collection(TickSourceContractCollection.Name)]
public sealed class ReplicationDurableSlotContractTests : TickSourceContract
{
    protected override TickSourceRegistration Registration => ReplicationTickSource.Registration;

    protected override IngestOptions Options(string database) => new() { Source = Registration.Name, SlotName = database };
}
