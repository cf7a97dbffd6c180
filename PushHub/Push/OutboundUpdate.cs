using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>
/// An update on its way to many subscribers. Its delta is encoded once, on first use, and the same
/// bytes go to every subscriber that did not merge it with another update.
/// </summary>
internal sealed class OutboundUpdate(QuoteUpdate update)
{
    private byte[]? _deltaJson;

    public QuoteUpdate Update { get; } = update;

    public string Symbol => Update.Symbol;

    public long Seq => Update.Seq;

    public byte[] DeltaJson => _deltaJson ??= QuoteJson.Delta(Update.Quote, Update.Changed, merged: Update.Merged);
}
