using System.Text;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>The epoch's pieces without a database: parsing, the resume rule, and a queue reset into a new epoch.</summary>
[Trait("Tier", "Fast")]
public sealed class EpochUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    private static Quote QuoteAt(long seq) => new("AAPL", seq, 100 + seq, null, null, 1, 100, 100 + seq, 100, seq, Now, Now.Date);

    private static ClientCommand Parse(string json) => ClientCommand.Parse(Encoding.UTF8.GetBytes(json), 100);

    [Fact]
    public void Parse_SubscribeWithEpoch_CarriesIt()
    {
        var subscribe = Assert.IsType<ClientCommand.Subscribe>(Parse("""{"op":"subscribe","symbols":["AAPL"],"resume":{"AAPL":7},"epoch":"3f9c2a7be014"}"""));

        Assert.Equal("3f9c2a7be014", subscribe.Epoch);
        Assert.Equal(7, subscribe.Resume["AAPL"]);
    }

    [Fact]
    public void Parse_SubscribeWithoutEpoch_Null() =>
        Assert.Null(Assert.IsType<ClientCommand.Subscribe>(Parse("""{"op":"subscribe","symbols":["AAPL"],"resume":{"AAPL":7}}""")).Epoch);

    [Theory]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"epoch":null}""")]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"epoch":["a"]}""")]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"epoch":"0123456789012345678901234567890123456789012345678901234567890123x"}""")]
    public void Parse_BadEpoch_InvalidArgumentNamingIt(string json)
    {
        var invalid = Assert.IsType<ClientCommand.Invalid>(Parse(json));

        Assert.Equal("invalid-argument", invalid.Code);
        Assert.StartsWith("epoch", invalid.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("aaaaaaaaaaaa", null)]
    [InlineData("bbbbbbbbbbbb", "resume position 7 is of epoch bbbbbbbbbbbb; positions are now numbered in epoch aaaaaaaaaaaa")]
    public void Refusal_ByEpoch(string? clientEpoch, string? reason) => Assert.Equal(reason, ResumeEpoch.Refusal(clientEpoch, "aaaaaaaaaaaa", 7));

    [Fact]
    public void ResetAll_DropsOldNumberingAndQueuesResetThenSnapshotInTheNewEpoch()
    {
        var queue = new SubscriberQueue();
        queue.Subscribe(["AAPL", "GONE"], TimeSpan.Zero);
        queue.SetBaseline("AAPL", 40, []);
        queue.SetBaseline("GONE", 9, []);
        queue.Offer(new OutboundUpdate(new QuoteUpdate(QuoteAt(41), QuoteFields.Last, Now)));

        queue.ResetAll(symbol => symbol == "AAPL" ? QuoteAt(3) : null, "newepoch0001", "renumbered");
        queue.Offer(new OutboundUpdate(new QuoteUpdate(QuoteAt(4), QuoteFields.Last, Now)));
        var (messages, _) = queue.Take(Now);

        Assert.Collection(messages,
            m => Assert.Equal(("renumbered", "newepoch0001", 3L), (((Outgoing.Reset)m).Reason, ((Outgoing.Reset)m).Epoch, ((Outgoing.Reset)m).Quote.Seq)),
            m => Assert.Equal(("newepoch0001", 3L), (((Outgoing.Snapshot)m).Epoch, ((Outgoing.Snapshot)m).Quote.Seq)),
            m => Assert.Equal(4, Assert.IsType<Outgoing.Delta>(m).Latest.Seq)); // seq 41 of the old numbering is gone; 4 follows 3
    }

    [Fact]
    public void ResetAll_SymbolWithoutBaseline_LeftToItsSubscribe()
    {
        var queue = new SubscriberQueue();
        queue.Subscribe(["AAPL"], TimeSpan.Zero);

        queue.ResetAll(_ => QuoteAt(3), "newepoch0001", "renumbered");
        var (messages, _) = queue.Take(Now);

        Assert.Empty(messages);
    }
}
