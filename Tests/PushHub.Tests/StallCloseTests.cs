using System.Diagnostics.Metrics;
using Dapper;

namespace Ticker.PushHub.Tests;

/// <summary>A stalled reader is closed with 1008 "too slow" when the close can still get through.</summary>
public sealed class StallCloseTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private Uri _ws = null!;

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        _hub.Settings["Hub:StallTimeout"] = "00:00:02";
        _ws = await _hub.StartOnSocketAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_hub).DisposeAsync();

    [Fact]
    public async Task StalledReader_ReadingAgainOnceCutOff_Gets1008TooSlow()
    {
        var tooSlow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "ticker.push.disconnects")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: "too slow" })
                {
                    tooSlow.TrySetResult();
                }
            }
        });
        listener.Start();

        using var stalled = await RawWsClient.ConnectAsync(_ws);
        Assert.True(await stalled.TrySendTextAsync("""{"op":"subscribe","symbols":["*"]}"""));

        // Far more than the socket buffers hold, while the client reads nothing: the hub's send blocks.
        await using (var connection = await _hub.Database.DataSource.OpenConnectionAsync())
        {
            for (var round = 0; round < 20 && !tooSlow.Task.IsCompleted; round++)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO ticks (symbol, price, size) SELECT 'T' || (i % 300), 100 + i % 7, 1 FROM generate_series(1, 20000) i");
            }
        }

        await tooSlow.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // The hub now waits a few seconds for its close to get through: reading lets it.
        var close = await stalled.ReadUntilCloseAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(close);
        Assert.Equal(1008, close.Value.Status);
        Assert.Equal("too slow", close.Value.Reason);
    }
}
