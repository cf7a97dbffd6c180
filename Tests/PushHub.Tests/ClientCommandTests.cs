using System.Text;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>Client messages (docs/protocol.md): each parses to its command, or to the error that names what is wrong.</summary>
[Trait("Tier", "Fast")]
public sealed class ClientCommandTests
{
    private const int MaxSymbols = 3;

    [Fact]
    public void Subscribe_SymbolsRateAndResume_ParsedDuplicatesDropped()
    {
        var command = Parse("""{"op":"subscribe","symbols":["AAPL","MSFT","AAPL"],"maxRate":2.5,"resume":{"AAPL":41},"id":"s1"}""");

        var subscribe = Assert.IsType<ClientCommand.Subscribe>(command);
        Assert.Equal(["AAPL", "MSFT"], subscribe.Symbols);
        Assert.Equal(2.5, subscribe.MaxRate);
        Assert.Equal(41, subscribe.Resume["AAPL"]);
        Assert.Equal("s1", subscribe.Id!.Value.GetString());
    }

    [Fact]
    public void Subscribe_Wildcard_Accepted()
    {
        Assert.Equal(["*"], Assert.IsType<ClientCommand.Subscribe>(Parse("""{"op":"subscribe","symbols":["*"]}""")).Symbols);
    }

    [Fact]
    public void Unsubscribe_AndPing_AndRtcOffer_AndAuth()
    {
        Assert.Equal(["AAPL"], Assert.IsType<ClientCommand.Unsubscribe>(Parse("""{"op":"unsubscribe","symbols":["AAPL"]}""")).Symbols);
        Assert.Equal(7, Assert.IsType<ClientCommand.Ping>(Parse("""{"op":"ping","id":7}""")).Id!.Value.GetInt32());
        Assert.Equal("v=0", Assert.IsType<ClientCommand.RtcOffer>(Parse("""{"op":"rtc-offer","sdp":"v=0"}""")).Sdp);
        Assert.Equal(("t", true), Assert.IsType<ClientCommand.Authenticate>(Parse("""{"op":"refresh","token":"t"}""")) is var a ? (a.Token, a.Refresh) : default);
    }

    [Theory]
    [InlineData("""{"op":""", "bad-json", "not valid JSON")]
    [InlineData("""[1]""", "bad-json", "a message must be a JSON object")]
    [InlineData("""{"symbols":["A"]}""", "unknown-op", "a message needs \"op\"")]
    [InlineData("""{"op":"dance"}""", "unknown-op", "unknown op \"dance\"")]
    [InlineData("""{"op":"subscribe"}""", "invalid-argument", "symbols must be a non-empty array")]
    [InlineData("""{"op":"subscribe","symbols":[]}""", "invalid-argument", "symbols must be a non-empty array")]
    [InlineData("""{"op":"subscribe","symbols":["A","B","C","D"]}""", "too-many-symbols", "at most 3 symbols")]
    [InlineData("""{"op":"subscribe","symbols":[1]}""", "invalid-symbol", "every symbol must be a string")]
    [InlineData("""{"op":"subscribe","symbols":["A"],"maxRate":0}""", "invalid-argument", "maxRate must be")]
    [InlineData("""{"op":"subscribe","symbols":["A"],"maxRate":"fast"}""", "invalid-argument", "maxRate must be")]
    [InlineData("""{"op":"subscribe","symbols":["A"],"resume":[1]}""", "invalid-argument", "resume must be an object")]
    [InlineData("""{"op":"subscribe","symbols":["A"],"resume":{"A":-1}}""", "invalid-argument", "resume: A must be a non-negative whole seq")]
    [InlineData("""{"op":"subscribe","symbols":["A"],"resume":{"A":1.5}}""", "invalid-argument", "resume: A must be a non-negative whole seq")]
    [InlineData("""{"op":"rtc-offer"}""", "invalid-argument", "rtc-offer needs \"sdp\"")]
    [InlineData("""{"op":"auth","token":5}""", "invalid-argument", "auth needs \"token\"")]
    [InlineData("""{"op":"ping","id":{"a":1}}""", "invalid-argument", "id must be a number or a string")]
    public void Invalid_NamesTheProblem(string json, string code, string message)
    {
        var invalid = Assert.IsType<ClientCommand.Invalid>(Parse(json));

        Assert.Equal(code, invalid.Code);
        Assert.StartsWith(message, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_KeepsTheIdForTheReply()
    {
        Assert.Equal(9, Assert.IsType<ClientCommand.Invalid>(Parse("""{"op":"dance","id":9}""")).Id!.Value.GetInt32());
    }

    [Fact]
    public void Invalid_LongUnknownOp_Shortened()
    {
        var invalid = Assert.IsType<ClientCommand.Invalid>(Parse($$"""{"op":"{{new string('x', 100)}}"}"""));

        Assert.Contains(new string('x', 40) + "…\"", invalid.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 41), invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_NestedDeeperThanTheLimit_BadJson()
    {
        var deep = """{"op":"ping","x":""" + new string('[', 20) + new string(']', 20) + "}";

        Assert.Equal("bad-json", Assert.IsType<ClientCommand.Invalid>(Parse(deep)).Code);
    }

    private static ClientCommand Parse(string json) => ClientCommand.Parse(Encoding.UTF8.GetBytes(json), MaxSymbols);
}
