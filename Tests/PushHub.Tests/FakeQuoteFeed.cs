using System.Reactive.Subjects;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>An <see cref="IQuoteFeed"/> the test fills: current quotes, and the updates it still holds per symbol for resumes.</summary>
internal sealed class FakeQuoteFeed : IQuoteFeed, IDisposable
{
    private readonly Subject<QuoteUpdate> _updates = new();

    public Dictionary<string, Quote> Book { get; } = new(StringComparer.Ordinal);

    /// <summary>Per symbol, the oldest seq a resume can start after, and the updates held.</summary>
    public Dictionary<string, (long HeldAfter, List<QuoteUpdate> Updates)> Held { get; } = new(StringComparer.Ordinal);

    public IObservable<QuoteUpdate> Updates => _updates;

    public string Epoch { get; set; } = "e1";

    public Task Started => Task.CompletedTask;

    public event Action<string>? EpochChanged;

    public void ChangeEpoch(string epoch)
    {
        Epoch = epoch;
        EpochChanged?.Invoke(epoch);
    }

    public IEnumerable<Quote> Quotes => Book.Values;

    public bool TryGetQuote(string symbol, out Quote quote) => Book.TryGetValue(symbol, out quote!);

    public Replay ReplayAfter(string symbol, long afterSeq) =>
        !Held.TryGetValue(symbol, out var held) ? Replay.CannotResume
        : afterSeq < held.HeldAfter ? Replay.CannotResume
        : new Replay(true, [.. held.Updates.Where(u => u.Seq > afterSeq)]);

    public void Publish(QuoteUpdate update)
    {
        Book[update.Symbol] = update.Quote;
        _updates.OnNext(update);
    }

    public void Dispose() => _updates.Dispose();
}
