namespace Ticker.PushHub.Tests;

/// <summary>The symbol limit counts each symbol once.</summary>
public sealed partial class WebSocketProtocolTests
{
    [Fact]
    public async Task Subscribe_ReRatingHeldSymbols_NotCountedTwice()
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        await client.SendAsync("""{"op":"subscribe","symbols":["R1","R2","R3","R4","R5"],"id":1}""");
        await client.ReceiveUntilAsync(m => m.Is("subscribed"));

        await client.SendAsync("""{"op":"subscribe","symbols":["R1","R2","R3","R4","R5"],"maxRate":1,"id":2}""");
        var rerated = await client.ReceiveUntilAsync(m => m.Is("subscribed") || m.Is("error"));
        await client.SendAsync("""{"op":"subscribe","symbols":["R6"],"id":3}""");
        var sixth = await client.ReceiveUntilAsync(m => m.Is("subscribed") || m.Is("error"));

        Assert.Equal("subscribed", rerated.Type());
        Assert.Equal("too-many-symbols", sixth.GetProperty("code").GetString());
    }
}
