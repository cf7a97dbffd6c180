using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Tests;

[Trait("Tier", "Fast")]
public sealed class QuoteBookTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly QuoteBook _book = new(new TradingSession(TimeSpan.Zero));
    private long _id;

    private QuoteUpdate Apply(decimal price, long size, DateTimeOffset ts, decimal? bid = null, decimal? ask = null) =>
        _book.Apply(new StoredTick(++_id, "AAPL", ts, price, size, bid, ask), ts);

    [Fact]
    public void Apply_FirstTick_EverythingChangedSeqOne()
    {
        var update = Apply(100, 10, Day.AddHours(15), 99.9m, 100.1m);

        Assert.Equal(QuoteFields.All, update.Changed);
        Assert.Equal(new Quote("AAPL", 1, 100, 99.9m, 100.1m, 10, 100, 100, 100, 10, Day.AddHours(15), Day), update.Quote);
    }

    [Fact]
    public void Apply_Sequence_OnlyChangedFieldsFlagged()
    {
        Apply(100, 10, Day.AddHours(15), 99.9m, 100.1m);

        var higher = Apply(101, 10, Day.AddHours(15.1), 99.9m, 100.1m);
        var bidOnly = Apply(101, 10, Day.AddHours(15.2), 100.5m);
        var lower = Apply(99, 5, Day.AddHours(15.3));

        Assert.Equal(QuoteFields.Last | QuoteFields.High | QuoteFields.Volume | QuoteFields.Ts, higher.Changed);
        Assert.Equal(QuoteFields.Bid | QuoteFields.Volume | QuoteFields.Ts, bidOnly.Changed);
        Assert.Equal(QuoteFields.Last | QuoteFields.Size | QuoteFields.Low | QuoteFields.Volume | QuoteFields.Ts, lower.Changed);
        Assert.Equal((4L, 99m, 100.5m, 100.1m, 35L, 101m, 99m), (lower.Seq, lower.Quote.Last, lower.Quote.Bid, lower.Quote.Ask,
            lower.Quote.Volume, lower.Quote.High, lower.Quote.Low));
        Assert.Equal(-1m, lower.Quote.Change);
        Assert.Equal(-1m, lower.Quote.ChangePercent);
    }

    [Fact]
    public void Apply_NextSession_OpenHighLowVolumeStartAgain()
    {
        Apply(100, 10, Day.AddHours(15));
        Apply(120, 10, Day.AddHours(16));

        var nextDay = Apply(110, 7, Day.AddDays(1).AddHours(14));

        Assert.Equal((110m, 110m, 110m, 7L, Day.AddDays(1)), (nextDay.Quote.Open, nextDay.Quote.High, nextDay.Quote.Low, nextDay.Quote.Volume, nextDay.Quote.SessionStart));
        Assert.True(nextDay.Changed.HasFlag(QuoteFields.Open));
    }

    [Fact]
    public void Apply_LateTickFromEarlierInSession_CountsButKeepsLastPrice()
    {
        Apply(100, 10, Day.AddHours(15));

        var late = Apply(90, 5, Day.AddHours(14));
        var yesterday = Apply(80, 5, Day.AddHours(-3));

        Assert.Equal((2L, 100m, 90m, 15L), (late.Seq, late.Quote.Last, late.Quote.Low, late.Quote.Volume));
        Assert.Equal(QuoteFields.Low | QuoteFields.Volume, late.Changed);
        Assert.Equal((3L, QuoteFields.None), (yesterday.Seq, yesterday.Changed));
    }

    [Fact]
    public void TradingSession_OffsetStart_DayBeginsThere()
    {
        var session = new TradingSession(TimeSpan.FromHours(13.5));

        Assert.Equal(Day.AddHours(13.5), session.StartOf(Day.AddHours(20)));
        Assert.Equal(Day.AddDays(-1).AddHours(13.5), session.StartOf(Day.AddHours(13)));
    }

    [Fact]
    public void MergeWith_LaterQuoteUnionOfFields()
    {
        var first = Apply(100, 10, Day.AddHours(15));
        var second = Apply(100, 10, Day.AddHours(15.1), bid: 99);

        var merged = first.MergeWith(second);

        Assert.Same(second.Quote, merged.Quote);
        Assert.Equal(QuoteFields.All, merged.Changed);
    }
}
