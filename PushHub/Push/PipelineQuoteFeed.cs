using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>Direct mode: the quotes of this hub's own change-stream pipeline.</summary>
internal sealed class PipelineQuoteFeed(TickPipeline pipeline) : IQuoteFeed
{
    public IObservable<QuoteUpdate> Updates => pipeline.Updates;

    public string Epoch => pipeline.Epoch;

    public Task Started => pipeline.Started;

    public event Action<string>? EpochChanged
    {
        add => pipeline.EpochChanged += value;
        remove => pipeline.EpochChanged -= value;
    }

    public IEnumerable<Quote> Quotes => pipeline.Book.All;

    public bool TryGetQuote(string symbol, out Quote quote) => pipeline.Book.TryGet(symbol, out quote);

    public Replay ReplayAfter(string symbol, long afterSeq) => pipeline.ReplayAfter(symbol, afterSeq);
}
