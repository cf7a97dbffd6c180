using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Tests;

[Trait("Tier", "Fast")]
public sealed class ReplayBufferTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);

    private static QuoteUpdate Update(string symbol, long seq) =>
        new(new Quote(symbol, seq, seq, null, null, 1, 1, 1, 1, seq, T0, T0), QuoteFields.Last, T0);

    [Fact]
    public void After_WithinDepth_ExactlyTheMissingUpdates()
    {
        var buffer = new ReplayBuffer(8);
        for (var seq = 11; seq <= 30; seq++)
        {
            buffer.Add(Update("AAPL", seq));
        }

        Assert.Equal([26L, 27, 28, 29, 30], buffer.After("AAPL", 25, loadedSeq: 10).Updates.Select(u => u.Seq));
        Assert.Equal(8, buffer.After("AAPL", 22, 10).Updates.Count);
        Assert.Equal(Replay.UpToDate, buffer.After("AAPL", 30, 10));
    }

    [Theory]
    [InlineData(21)]  // older than the 8 kept
    [InlineData(31)]  // ahead of this hub
    [InlineData(-1)]
    public void After_OutsideWhatIsKept_CannotResume(long afterSeq)
    {
        var buffer = new ReplayBuffer(8);
        for (var seq = 11; seq <= 30; seq++)
        {
            buffer.Add(Update("AAPL", seq));
        }

        Assert.Equal(Replay.CannotResume, buffer.After("AAPL", afterSeq, 10));
    }

    [Fact]
    public void After_NoUpdateSinceStart_UpToDateOnlyAtLoadedNumber()
    {
        var buffer = new ReplayBuffer(8);

        Assert.Equal(Replay.UpToDate, buffer.After("MSFT", 42, loadedSeq: 42));
        Assert.Equal(Replay.CannotResume, buffer.After("MSFT", 41, loadedSeq: 42));
    }
}
