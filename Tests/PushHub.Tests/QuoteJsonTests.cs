using System.Text;
using System.Text.Json;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>The server's JSON messages byte for byte (docs/protocol.md): what clients parse must not drift.</summary>
[Trait("Tier", "Fast")]
public sealed class QuoteJsonTests
{
    private static readonly DateTimeOffset Ts = new(2026, 3, 2, 15, 4, 5, 123, TimeSpan.Zero);

    private static readonly Quote Aapl = new("AAPL", 42, 189.12m, 189.11m, null, 100, 187.4m, 189.5m, 187.1m, 1203400, Ts, Ts.Date);

    [Fact]
    public void Snapshot_EveryField_NullForAMissingSide()
    {
        Assert.Equal(
            """{"type":"snapshot","symbol":"AAPL","seq":42,"price":189.12,"bid":189.11,"ask":null,"size":100,"open":187.4,"high":189.5,"low":187.1,"volume":1203400,"change":1.72,"changePercent":0.9178,"ts":"2026-03-02T15:04:05.123Z"}""",
            Text(QuoteJson.Snapshot(Aapl)));
    }

    [Fact]
    public void Delta_OnlyTheChangedFields_ChangeWithThePrice_MergedOnlyAboveOne()
    {
        Assert.Equal("""{"type":"delta","symbol":"AAPL","seq":42,"price":189.12,"change":1.72,"changePercent":0.9178}""",
            Text(QuoteJson.Delta(Aapl, QuoteFields.Last, merged: 1)));
        Assert.Equal("""{"type":"delta","symbol":"AAPL","seq":42,"size":100,"volume":1203400,"merged":3}""",
            Text(QuoteJson.Delta(Aapl, QuoteFields.Size | QuoteFields.Volume, merged: 3)));
    }

    [Fact]
    public void FullQuote_TypeQuote_SameFieldsAsTheSnapshot()
    {
        var quote = Text(QuoteJson.FullQuote(Aapl));

        Assert.StartsWith("""{"type":"quote","symbol":"AAPL","seq":42,""", quote, StringComparison.Ordinal);
        Assert.Equal(Text(QuoteJson.Snapshot(Aapl))[19..], quote[16..]);
    }

    [Fact]
    public void Reset_SymbolSeqAndReason()
    {
        Assert.Equal("""{"type":"reset","symbol":"AAPL","seq":42,"reason":"resume position 1 is no longer held"}""",
            Text(QuoteJson.Reset(Aapl, "resume position 1 is no longer held")));
    }

    [Theory]
    [InlineData("7", """{"type":"pong","id":7,"ts":"2026-03-02T15:04:05.123Z"}""")]
    [InlineData("\"a\\\"b\"", """{"type":"pong","id":"a\u0022b","ts":"2026-03-02T15:04:05.123Z"}""")]
    [InlineData(null, """{"type":"pong","ts":"2026-03-02T15:04:05.123Z"}""")]
    public void Pong_EchoesTheIdAsGiven(string? id, string expected)
    {
        Assert.Equal(expected, Text(QuoteJson.Pong(id is null ? null : JsonDocument.Parse(id).RootElement.Clone(), Ts)));
    }

    [Fact]
    public void Acknowledge_AndError_WithId()
    {
        var id = JsonDocument.Parse("1").RootElement.Clone();

        Assert.Equal("""{"type":"subscribed","symbols":["AAPL","*"],"id":1}""", Text(QuoteJson.Acknowledge("subscribed", ["AAPL", "*"], id)));
        Assert.Equal("""{"type":"error","code":"rate-limited","message":"slow down","id":1}""", Text(QuoteJson.Error("rate-limited", "slow down", id)));
    }

    [Fact]
    public void Heartbeat_TypeAndTime()
    {
        Assert.Equal("""{"type":"heartbeat","ts":"2026-03-02T15:04:05.123Z"}""", Text(QuoteJson.Heartbeat(Ts)));
    }

    [Fact]
    public void OutboundUpdate_DeltaJson_EncodedOnceAndShared()
    {
        var update = new OutboundUpdate(new QuoteUpdate(Aapl, QuoteFields.Last, Ts) { Merged = 2 });

        Assert.Same(update.DeltaJson, update.DeltaJson);
        Assert.Equal(Text(QuoteJson.Delta(Aapl, QuoteFields.Last, merged: 2)), Text(update.DeltaJson));
    }

    private static string Text(byte[] json) => Encoding.UTF8.GetString(json);
}
