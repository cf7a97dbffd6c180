using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>The fan-out's per-symbol subscriber sets: adds, removes and the wildcard, each touching only its symbols.</summary>
[Trait("Tier", "Fast")]
public sealed class FanOutTests
{
    // Add and Remove touch neither the pipeline nor the metrics.
    private readonly FanOut _fanOut = new(null!, null!);

    [Fact]
    public void Add_Twice_HeldOnce()
    {
        var queue = new SubscriberQueue();

        _fanOut.Add(queue, ["A", "B"]);
        _fanOut.Add(queue, ["A"]);

        Assert.Equal(1, _fanOut.SubscriberCount("A"));
        Assert.Equal(1, _fanOut.SubscriberCount("B"));
    }

    [Fact]
    public void Remove_LastSubscriber_SymbolDropped()
    {
        var one = new SubscriberQueue();
        var two = new SubscriberQueue();
        _fanOut.Add(one, ["A", "B"]);
        _fanOut.Add(two, ["A"]);

        _fanOut.Remove(one, ["A", "B"]);

        Assert.Equal(1, _fanOut.SubscriberCount("A"));
        Assert.Equal(0, _fanOut.SubscriberCount("B"));
        Assert.Equal(1, _fanOut.SymbolCount);
    }

    [Fact]
    public void RemoveEverywhere_OnlyThatQueue_OthersKeepTheirSymbols()
    {
        var gone = new SubscriberQueue();
        var staying = new SubscriberQueue();
        _fanOut.Add(gone, ["A", "B", "C"]);
        _fanOut.Add(staying, ["B", "D"]);
        _fanOut.AddWildcard(gone);
        _fanOut.AddWildcard(staying);

        _fanOut.RemoveEverywhere(gone);

        Assert.Equal([0, 1, 0, 1], new[] { "A", "B", "C", "D" }.Select(_fanOut.SubscriberCount));
        Assert.Equal(1, _fanOut.WildcardCount);
        Assert.Empty(gone.FannedOutSymbols());
        Assert.Equal(["B", "D"], staying.FannedOutSymbols().Order());
    }

    [Fact]
    public void AddWildcard_AfterRemovingIt_SubscribedAgain()
    {
        var queue = new SubscriberQueue();
        _fanOut.AddWildcard(queue);
        _fanOut.Remove(queue, ["*"]);
        Assert.Equal(0, _fanOut.WildcardCount);

        _fanOut.AddWildcard(queue);

        Assert.Equal(1, _fanOut.WildcardCount);
    }

    [Fact]
    public void Resubscribe_AfterTheSymbolWasDropped_HeldAgain()
    {
        var queue = new SubscriberQueue();
        _fanOut.Add(queue, ["A"]);
        _fanOut.Remove(queue, ["A"]);

        _fanOut.Add(queue, ["A"]);

        Assert.Equal(1, _fanOut.SubscriberCount("A"));
    }

    [Fact]
    public void AddAndRemove_Concurrently_EndsWithExactlyTheAdded()
    {
        var symbols = Enumerable.Range(0, 50).Select(i => $"S{i}").ToList();
        var churn = Enumerable.Range(0, 200).Select(_ => new SubscriberQueue()).ToArray();
        var kept = Enumerable.Range(0, 200).Select(_ => new SubscriberQueue()).ToArray();

        Parallel.ForEach(churn.Concat(kept), queue => _fanOut.Add(queue, symbols));
        Parallel.ForEach(churn.Select(q => (q, add: false)).Concat(churn.Select(q => (q, add: true))), work =>
        {
            _fanOut.RemoveEverywhere(work.q);
            if (work.add)
            {
                _fanOut.Add(work.q, symbols);
            }
        });
        Parallel.ForEach(churn, _fanOut.RemoveEverywhere);

        Assert.All(symbols, s => Assert.Equal(200, _fanOut.SubscriberCount(s)));
    }
}
