using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>Quotes and updates for the push core's unit tests.</summary>
internal static class TestQuotes
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    public static Quote Quote(string symbol, long seq) =>
        new(symbol, seq, 100 + seq, null, null, 1, 100, 100 + seq, 100, seq, Start, Start.Date);

    public static OutboundUpdate Update(string symbol, long seq, QuoteFields changed = QuoteFields.Last) =>
        new(new QuoteUpdate(Quote(symbol, seq), changed, Start));
}
