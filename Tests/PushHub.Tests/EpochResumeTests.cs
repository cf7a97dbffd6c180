using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Positions with an epoch on /ws (docs/protocol.md#positions-and-epochs): the epoch in
/// <c>subscribed</c>, snapshots and resets; a resume from another epoch is reset; retention
/// between a disconnect and a resume changes nothing.
/// </summary>
public sealed class EpochResumeTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Ingest:ReplayDepth"] = "16";
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    private async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await _hub.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    private Task InsertAsync(string symbol, decimal price) =>
        ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES (@symbol, @price, 1)", new { symbol, price });

    /// <summary>Everything the hub sends until the pong of a ping sent after <paramref name="subscribe"/>: the hub answers in order, so nothing more is coming.</summary>
    private static async Task<List<JsonElement>> SubscribeAsync(WsClient client, string subscribe)
    {
        await client.SendAsync(subscribe);
        await client.SendAsync("""{"op":"ping","id":"barrier"}""");
        var messages = new List<JsonElement>();
        while (true)
        {
            var message = await client.ReceiveUntilAsync(m => !m.Is("heartbeat"));
            if (message.Is("pong"))
            {
                return messages;
            }

            messages.Add(message);
        }
    }

    private async Task<(long Seq, string Epoch)> PositionAsync(string symbol)
    {
        await using var client = await WsClient.ConnectAsync(_ws);
        var messages = await SubscribeAsync(client, $$"""{"op":"subscribe","symbols":["{{symbol}}"]}""");
        var snapshot = messages.Single(m => m.Is("snapshot", symbol));
        return (snapshot.GetProperty("seq").GetInt64(), snapshot.GetProperty("epoch").GetString()!);
    }

    private async Task WaitForSeqAsync(string symbol, long seq)
    {
        var pipeline = _hub.Services.GetRequiredService<TickPipeline>();
        for (var i = 0; i < 1200 && !(pipeline.Book.TryGet(symbol, out var quote) && quote.Seq >= seq); i++)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Subscribe_AckAndSnapshot_CarryTheDatabaseEpoch()
    {
        await InsertAsync("EPO", 1m);
        await WaitForSeqAsync("EPO", 1);
        await using var client = await WsClient.ConnectAsync(_ws);

        var messages = await SubscribeAsync(client, """{"op":"subscribe","symbols":["EPO"]}""");

        var epoch = await PositionEpoch.ReadAsync(_hub.Database.DataSource);
        Assert.Equal(epoch, messages.Single(m => m.Is("subscribed")).GetProperty("epoch").GetString());
        Assert.Equal(epoch, messages.Single(m => m.Is("snapshot", "EPO")).GetProperty("epoch").GetString());
    }

    [Fact]
    public async Task Resume_SameEpoch_ExactlyTheMissedDeltas()
    {
        await InsertAsync("SAME", 1m);
        await WaitForSeqAsync("SAME", 1);
        var (seq, epoch) = await PositionAsync("SAME");
        await InsertAsync("SAME", 2m);
        await InsertAsync("SAME", 3m);
        await WaitForSeqAsync("SAME", seq + 2);
        await using var client = await WsClient.ConnectAsync(_ws);

        var messages = await SubscribeAsync(client, $$"""{"op":"subscribe","symbols":["SAME"],"resume":{"SAME":{{seq}}},"epoch":"{{epoch}}"}""");

        Assert.Equal([seq + 1, seq + 2], messages.Where(m => m.Is("delta", "SAME")).Select(m => m.GetProperty("seq").GetInt64()));
        Assert.DoesNotContain(messages, m => m.Is("reset") || m.Is("snapshot"));
    }

    [Fact]
    public async Task Resume_OtherEpoch_ResetThenSnapshotInTheCurrentEpoch()
    {
        await InsertAsync("OTHER", 1m);
        await WaitForSeqAsync("OTHER", 1);
        var (seq, epoch) = await PositionAsync("OTHER");
        await using var client = await WsClient.ConnectAsync(_ws);

        // The very position the hub holds, but numbered in another epoch: never continued.
        var messages = await SubscribeAsync(client, $$"""{"op":"subscribe","symbols":["OTHER"],"resume":{"OTHER":{{seq}}},"epoch":"0123456789ab"}""");

        var reset = messages.Single(m => m.Is("reset", "OTHER"));
        var snapshot = messages.Single(m => m.Is("snapshot", "OTHER"));
        Assert.True(messages.IndexOf(reset) < messages.IndexOf(snapshot));
        Assert.Equal(epoch, reset.GetProperty("epoch").GetString());
        Assert.Contains("epoch 0123456789ab", reset.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(epoch, snapshot.GetProperty("epoch").GetString());
        Assert.Equal(seq, snapshot.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Resume_AcrossRetention_ContinuesWithoutReset()
    {
        await ExecuteAsync("""
            INSERT INTO ticks (symbol, ts, price, size) SELECT 'KEPT', now() - interval '40 days' + i * interval '1 second', i, 1 FROM generate_series(1, 5) i;
            INSERT INTO ticks (symbol, price, size) VALUES ('KEPT', 10, 1);
            """);
        await WaitForSeqAsync("KEPT", 6);
        var (seq, epoch) = await PositionAsync("KEPT");

        var removed = await new TickRetention(_hub.Database.DataSource).RunAsync(DateTimeOffset.UtcNow.AddDays(-30));
        await InsertAsync("KEPT", 11m);
        await WaitForSeqAsync("KEPT", seq + 1);
        await using var client = await WsClient.ConnectAsync(_ws);
        var messages = await SubscribeAsync(client, $$"""{"op":"subscribe","symbols":["KEPT"],"resume":{"KEPT":{{seq}}},"epoch":"{{epoch}}"}""");

        Assert.Equal(5, removed.Removed);
        Assert.Equal(epoch, await PositionEpoch.ReadAsync(_hub.Database.DataSource));
        var delta = Assert.Single(messages, m => m.Is("delta", "KEPT"));
        Assert.Equal(seq + 1, delta.GetProperty("seq").GetInt64());
        Assert.DoesNotContain(messages, m => m.Is("reset"));
    }

    [Theory]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"epoch":42}""")]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"epoch":""}""")]
    public async Task Subscribe_BadEpoch_InvalidArgumentNamingIt(string subscribe)
    {
        await using var client = await WsClient.ConnectAsync(_ws);

        var messages = await SubscribeAsync(client, subscribe);

        var error = Assert.Single(messages);
        Assert.Equal("invalid-argument", error.GetProperty("code").GetString());
        Assert.StartsWith("epoch", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
