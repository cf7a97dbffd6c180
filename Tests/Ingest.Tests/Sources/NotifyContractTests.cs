using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Tests.Sources;

/// <summary>The LISTEN/NOTIFY fallback against the source contract.</summary>
[Collection(TickSourceContractCollection.Name)]
public sealed class NotifyContractTests : TickSourceContract
{
    protected override TickSourceRegistration Registration => NotifyTickSource.Registration;
}
