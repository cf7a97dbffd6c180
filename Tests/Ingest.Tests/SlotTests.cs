using Dapper;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.Testing;

namespace Ticker.Ingest.Tests;

/// <summary>
/// Identical hubs on one database (temporary slots, no per-hub setting), the conflict of two hubs
/// configured with one durable slot, and what a lost replication connection leaves behind.
/// </summary>
public sealed class SlotTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-30);
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private PipelineHarness Hub(string slot = "") => new(_database.DataSource, _database.ConnectionString, slot);

    private Task InsertAsync(string symbol, int count, int from = 0) =>
        new TickStore(_database.DataSource).AppendAsync(
            Enumerable.Range(from, count).Select(i => new Tick(symbol, T0.AddSeconds(i), 100 + i, 10)));

    private async Task<List<(string Slot, bool Temporary, int? Pid)>> SlotsAsync()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string, bool, int?)>(
            "SELECT slot_name, temporary, active_pid FROM pg_replication_slots WHERE database = current_database() ORDER BY slot_name");
        return [.. rows];
    }

    [Fact]
    public async Task TwoIdenticalHubs_OneDatabase_EachGetsEveryTickWithTheSameSeq()
    {
        await InsertAsync("AAPL", 10);
        await using var first = await Hub().StartAsync();
        await InsertAsync("AAPL", 5, from: 10);
        await using var second = await Hub().StartAsync();
        await InsertAsync("AAPL", 5, from: 15);
        await InsertAsync("MSFT", 3);

        var fromFirst = await first.WaitForAsync(13);
        var fromSecond = await second.WaitForAsync(8);

        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), fromFirst.Where(u => u.Symbol == "AAPL").Select(u => u.Seq));
        Assert.Equal(Enumerable.Range(16, 5).Select(i => (long)i), fromSecond.Where(u => u.Symbol == "AAPL").Select(u => u.Seq));
        // The updates both saw are the same, number for number, so a client resumes on either.
        Assert.Equal(fromFirst.Skip(5).Select(u => u.Quote), fromSecond.Select(u => u.Quote));
        var slots = await SlotsAsync();
        Assert.Equal(2, slots.Count);
        Assert.All(slots, s => Assert.True(s.Temporary));
    }

    [Fact]
    public async Task HubStopped_ItsTemporarySlotIsGone()
    {
        await using (var hub = await Hub().StartAsync())
        {
            await InsertAsync("AAPL", 1);
            await hub.WaitForAsync(1);
            Assert.Single(await SlotsAsync());
        }

        await WaitUntilAsync(async () => (await SlotsAsync()).Count == 0, "the stopped hub's slot is dropped");
    }

    [Fact]
    public async Task SecondHubWithTheSameExplicitSlot_FailsAtStartNamingTheSetting()
    {
        var slot = $"{_database.Name}_x";
        await using var first = await Hub(slot).StartAsync();
        await InsertAsync("AAPL", 1);
        await first.WaitForAsync(1); // the first hub is streaming from the slot now

        await using var second = Hub(slot);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(second.StartAsync);
        Assert.Contains("Ingest:SlotName", error.Message, StringComparison.Ordinal);
        Assert.Contains(slot, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicationConnectionKilled_SlotDropped_NewSlotCoversTheGap_NothingLostNothingDoubled()
    {
        await InsertAsync("AAPL", 10);
        await using var watched = await Hub().StartAsync();
        var killed = Assert.Single(await SlotsAsync());
        await using var witness = await Hub().StartAsync();

        // A writer that keeps going while the connection is killed, so ticks commit in the gap.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 10; !stop.IsCancellationRequested; i++)
            {
                await InsertAsync(i % 2 == 0 ? "AAPL" : "MSFT", 3, from: i * 3);
                await Task.Delay(5);
            }
        });

        await watched.WaitForAsync(50);
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("SELECT pg_terminate_backend(@pid)", new { pid = killed.Pid });
        }

        await WaitUntilAsync(async () => (await SlotsAsync()).All(s => s.Slot != killed.Slot), "the killed connection's slot is dropped");
        await WaitUntilAsync(async () => (await SlotsAsync()).Count == 2, "the hub creates a new slot");
        var before = watched.Updates.Count;
        await watched.WaitForAsync(before + 50);
        await stop.CancelAsync();
        await writer;

        await using var check = await _database.DataSource.OpenConnectionAsync();
        var counts = (await check.QueryAsync<(string Symbol, long Count)>("SELECT symbol, count(*) FROM ticks GROUP BY symbol")).ToList();
        foreach (var hub in new[] { watched, witness })
        {
            await WaitUntilAsync(() => Task.FromResult(counts.All(c => hub.Pipeline.Book.TryGet(c.Symbol, out var q) && q.Seq == c.Count)),
                "every committed tick is counted");
        }

        // The writer never paused, so ticks committed between the old slot's end and the new one's start.
        Assert.Contains(watched.Updates, u => u.Merged > 1);
        foreach (var (symbol, _) in counts)
        {
            Assert.True(watched.Pipeline.Book.TryGet(symbol, out var a));
            Assert.True(witness.Pipeline.Book.TryGet(symbol, out var b));
            Assert.Equal(b, a);
            // Every step of seq is one tick, or says how many it stands for: never a silent gap, never back.
            var seqs = watched.Updates.Where(u => u.Symbol == symbol).ToList();
            for (var i = 1; i < seqs.Count; i++)
            {
                Assert.Equal(seqs[i - 1].Seq + seqs[i].Merged, seqs[i].Seq);
            }
        }
    }

    /// <summary>Polls (at most a minute: a failure, never a timing assertion) until <paramref name="condition"/> holds.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"timed out waiting until {what}");
    }
}
