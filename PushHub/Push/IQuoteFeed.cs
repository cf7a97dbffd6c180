using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>
/// Where the push side's quotes come from: the live updates the fan-out hands on, the current quote
/// of every symbol (snapshots) and what a resuming subscriber missed. In direct mode that is this
/// hub's own <see cref="TickPipeline"/> (<see cref="PipelineQuoteFeed"/>); a broker-fed edge hub
/// implements the same from its broker, and the fan-out and subscriptions work unchanged.
/// </summary>
internal interface IQuoteFeed
{
    IObservable<QuoteUpdate> Updates { get; }

    /// <summary>Completes once the start-up state is loaded and updates flow.</summary>
    Task Started { get; }

    /// <summary>
    /// Raised on the feed's thread when its positions start a new epoch, after <see cref="Quotes"/> holds
    /// the new state (as far as known) and before any update of it: subscribers must be reset.
    /// </summary>
    event Action<string>? EpochChanged;

    /// <summary>The epoch the positions (seq) of <see cref="Quotes"/> and <see cref="Updates"/> belong to.</summary>
    string Epoch { get; }

    /// <summary>The current quote of every symbol known.</summary>
    IEnumerable<Quote> Quotes { get; }

    bool TryGetQuote(string symbol, out Quote quote);

    /// <summary>The updates of <paramref name="symbol"/> after <paramref name="afterSeq"/>, or that they are no longer held.</summary>
    Replay ReplayAfter(string symbol, long afterSeq);
}
