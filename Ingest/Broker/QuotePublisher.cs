using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Ticker.Database;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Broker;

/// <summary>
/// <c>Ingest:Mode=publisher</c>: waits for the lead (<see cref="LeaderLock"/>), then runs the
/// pipeline and publishes every update to JetStream, one subject per symbol, before the pipeline goes
/// on to the next change: a commit is acknowledged to the slot only after its updates are stored, so
/// while NATS is down the publisher holds the change stream and nothing is lost. Taking the lead,
/// it first publishes every symbol the stream holds an older seq of (the ticks its predecessor
/// committed but never published), as one update that says how many ticks it merged.
/// </summary>
public sealed class QuotePublisher(
    TickPipeline pipeline,
    INatsJSContext js,
    IOptions<NatsOptions> options,
    IOptions<DatabaseOptions> database,
    IHostApplicationLifetime lifetime,
    ILogger<QuotePublisher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private readonly NatsOptions _options = options.Value;
    private readonly ManualResetEventSlim _republished = new();
    private volatile bool _leading;

    /// <summary>Whether this process leads (and runs the pipeline).</summary>
    public bool IsLeading => _leading;

    /// <summary>Whether this process leads and publishes: its pipeline runs and the symbols its predecessor left behind are out.</summary>
    public bool IsPublishing => _leading && _republished.IsSet;

    /// <summary>The advisory lock's name: one leader per stream.</summary>
    public string LockName => $"ticker-publisher:{_options.Stream}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lease = new LeaderLock(database.Value.ConnectionString, LockName, _options.LeaderCheckInterval);
        IngestLog.PublisherStandby(logger, LockName);
        // A standby that cannot reach NATS could not publish either: it takes the lead only once connected.
        await RetryAsync(ct => js.Connection.ConnectAsync().AsTask().WaitAsync(ct), stoppingToken);
        await lease.AcquireAsync(e => IngestLog.PublisherLockFailed(logger, e), stoppingToken);
        _leading = true;
        IngestLog.PublisherLeading(logger, LockName, _options.Stream);
        await RetryAsync(ct => QuoteStream.EnsureAsync(js, _options, ct), stoppingToken);
        using var updates = pipeline.Updates.Subscribe(update => Publish(update, stoppingToken));
        pipeline.EpochChanged += RepublishBook;
        try
        {
            await pipeline.StartAsync(stoppingToken);
            await RetryAsync(RepublishNewerAsync, stoppingToken);
            _republished.Set();
            await lease.WatchAsync(stoppingToken);
            IngestLog.PublisherLostLead(logger);
            _leading = false;
            lifetime.StopApplication();
        }
        finally
        {
            pipeline.EpochChanged -= RepublishBook;
            await pipeline.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>On the pipeline's thread: stored in JetStream before the pipeline moves on; retried until it is, or the publisher stops.</summary>
    private void Publish(QuoteUpdate update, CancellationToken cancellationToken)
    {
        // The first updates wait until the book's newer symbols are out, so a subject's messages stay in seq order.
        _republished.Wait(cancellationToken);
        PublishAsync(update, pipeline.Epoch, cancellationToken).GetAwaiter().GetResult();
    }

    private async Task PublishAsync(QuoteUpdate update, string epoch, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                var ack = await js.PublishAsync(_options.SubjectOf(update.Symbol), QuoteMessage.Encode(update),
                    headers: new NatsHeaders { [QuoteMessage.EpochHeader] = epoch },
                    opts: new NatsJSPubOpts { MsgId = QuoteMessage.IdOf(epoch, update) }, cancellationToken: cancellationToken);
                // A duplicate is what a takeover expects: the predecessor stored it already.
                if (!ack.Duplicate)
                {
                    ack.EnsureSuccess();
                }

                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                IngestLog.PublishFailed(logger, e, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Publishes each symbol whose book seq is ahead of the stream's last message, with the gap merged into it.</summary>
    private async Task RepublishNewerAsync(CancellationToken cancellationToken)
    {
        var epoch = pipeline.Epoch;
        var published = new Dictionary<string, long>(StringComparer.Ordinal);
        await QuoteStream.ReadToEndAsync(js, _options, ConsumerConfigDeliverPolicy.LastPerSubject, null, (update, messageEpoch) =>
        {
            if (messageEpoch == epoch)
            {
                published[update.Symbol] = update.Seq;
            }

            return true;
        }, cancellationToken);
        var republished = 0;
        var quotes = pipeline.Book.All.ToList();
        foreach (var quote in quotes)
        {
            var last = published.GetValueOrDefault(quote.Symbol);
            if (quote.Seq > last)
            {
                var merged = (int)Math.Min(int.MaxValue, last == 0 ? 1 : quote.Seq - last);
                await PublishAsync(new QuoteUpdate(quote, QuoteFields.All, quote.Ts) { Merged = merged }, epoch, cancellationToken);
                republished++;
            }
        }

        IngestLog.BookRepublished(logger, republished, quotes.Count);
    }

    /// <summary>A new epoch: every symbol's quote again, under the new epoch's ids (the edges reset their subscribers on it).</summary>
    private void RepublishBook(string epoch)
    {
        foreach (var quote in pipeline.Book.All)
        {
            PublishAsync(new QuoteUpdate(quote, QuoteFields.All, quote.Ts), epoch, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private async Task RetryAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await action(cancellationToken);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                IngestLog.PublishFailed(logger, e, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    public override void Dispose()
    {
        _republished.Dispose();
        base.Dispose();
    }
}
