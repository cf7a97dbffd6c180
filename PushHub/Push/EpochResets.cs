using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>
/// When the pipeline finds its positions in a new epoch (a truncate or re-import while the hub
/// ran), every subscriber on every transport gets a reset and a fresh snapshot per symbol: the
/// seqs it holds belong to the old numbering. Runs on the pipeline's thread before the new epoch's
/// first update, so no delta of the new numbering can overtake the reset.
/// </summary>
internal sealed class EpochResets(IQuoteFeed feed, FanOut fanOut) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        feed.EpochChanged += Reset;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        feed.EpochChanged -= Reset;
        return Task.CompletedTask;
    }

    private void Reset(string epoch)
    {
        var reason = $"positions are now numbered in epoch {epoch} (the ticks were truncated, rewritten or restored)";
        foreach (var queue in fanOut.AllQueues())
        {
            queue.ResetAll(symbol => feed.TryGetQuote(symbol, out var quote) ? quote : null, epoch, reason);
        }
    }
}
