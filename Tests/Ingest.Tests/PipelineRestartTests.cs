using Dapper;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

/// <summary>An unexpected exception inside the pipeline restarts it; it never ends the stream for good.</summary>
public sealed class PipelineRestartTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Theory]
    [InlineData("replication")]
    [InlineData("notify")]
    public async Task SubscriberThrows_PipelineRestartsAndLaterTicksArrive(string source)
    {
        await using var pipeline = new PipelineHarness(_database.DataSource, _database.ConnectionString, _database.Name, source);
        var thrown = 0;
        using var faulty = pipeline.Pipeline.Updates.Subscribe(update =>
        {
            if (update.Symbol == "BOOM" && Interlocked.Increment(ref thrown) == 1)
            {
                throw new InvalidOperationException("a bug in a subscriber");
            }
        });
        await pipeline.StartAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();

        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('BOOM', 1, 1)");
        for (var i = 0; i < 1200 && Volatile.Read(ref thrown) == 0; i++)
        {
            await Task.Delay(50);
        }

        // Committed around the restart: it reaches the book, streamed or loaded with the new snapshot.
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('AFTER', 2, 1)");
        for (var i = 0; i < 1200 && !pipeline.Pipeline.Book.TryGet("AFTER", out _); i++)
        {
            await Task.Delay(50);
        }

        // Committed once the restarted pipeline holds AFTER: streamed to subscribers again.
        await connection.ExecuteAsync("INSERT INTO ticks (symbol, price, size) VALUES ('LATER', 3, 1)");
        for (var i = 0; i < 1200 && !pipeline.Updates.Any(u => u.Symbol == "LATER"); i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, thrown);
        Assert.True(pipeline.Pipeline.Book.TryGet("AFTER", out var after));
        Assert.Equal(1L, after.Seq);
        Assert.Contains(pipeline.Updates, u => u.Symbol == "LATER" && u.Seq == 1);
        Assert.True(pipeline.Pipeline.Book.TryGet("BOOM", out var boom));
        Assert.Equal(1L, boom.Seq);
    }
}
