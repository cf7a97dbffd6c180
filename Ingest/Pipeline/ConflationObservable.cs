using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace Ticker.Ingest.Pipeline;

public static class ConflationObservable
{
    /// <summary>
    /// At most one update per symbol per <paramref name="interval"/>: the first passes at once;
    /// those that follow within the interval are merged (latest quote, fields changed by any) and
    /// sent when the interval ends. Memory is one pending update per symbol, whatever the input rate.
    /// </summary>
    public static IObservable<QuoteUpdate> ConflatePerSymbol(this IObservable<QuoteUpdate> updates, TimeSpan interval, IScheduler scheduler) =>
        Observable.Create<QuoteUpdate>(observer =>
        {
            var gate = new Lock();
            var symbols = new Dictionary<string, SymbolSlot>(StringComparer.Ordinal);
            var timers = new CompositeDisposable();

            void Flush(string symbol)
            {
                lock (gate)
                {
                    var slot = symbols[symbol];
                    if (slot.Pending is { } pending)
                    {
                        symbols[symbol] = new SymbolSlot(scheduler.Now, null, Scheduled: false);
                        observer.OnNext(pending);
                    }
                }
            }

            var subscription = updates.Subscribe(update =>
            {
                lock (gate)
                {
                    var now = scheduler.Now;
                    if (!symbols.TryGetValue(update.Symbol, out var slot) || (slot.Pending is null && now - slot.LastSent >= interval))
                    {
                        symbols[update.Symbol] = new SymbolSlot(now, null, Scheduled: false);
                        observer.OnNext(update);
                        return;
                    }

                    symbols[update.Symbol] = slot with { Pending = slot.Pending?.MergeWith(update) ?? update, Scheduled = true };
                    if (!slot.Scheduled)
                    {
                        timers.Add(scheduler.Schedule(slot.LastSent + interval - now, () => Flush(update.Symbol)));
                    }
                }
            }, observer.OnError, observer.OnCompleted);

            return new CompositeDisposable(subscription, timers);
        });

    private readonly record struct SymbolSlot(DateTimeOffset LastSent, QuoteUpdate? Pending, bool Scheduled);
}
