using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Broker;

/// <summary>The JetStream stream of quote updates: its configuration, and reading it back.</summary>
public static class QuoteStream
{
    /// <summary>Creates the stream, or updates an existing one to the configured retention.</summary>
    public static async Task EnsureAsync(INatsJSContext js, NatsOptions options, CancellationToken cancellationToken)
    {
        var config = new StreamConfig(options.Stream, [options.AllSubjects])
        {
            Storage = StreamConfigStorage.File,
            NumReplicas = options.Replicas,
            MaxMsgsPerSubject = options.MaxMessagesPerSubject == 0 ? -1 : options.MaxMessagesPerSubject,
            MaxAge = options.MaxAge,
            DuplicateWindow = options.DuplicateWindow,
            Discard = StreamConfigDiscard.Old,
        };
        await js.CreateOrUpdateStreamAsync(config, cancellationToken);
    }

    /// <summary>
    /// Reads the stream from <paramref name="deliverPolicy"/> on (optionally one subject), handing each
    /// update and its epoch to <paramref name="onUpdate"/> until the last message held when it was
    /// reached (nothing pending), or until <paramref name="onUpdate"/> returns false.
    /// </summary>
    public static async Task ReadToEndAsync(INatsJSContext js, NatsOptions options, ConsumerConfigDeliverPolicy deliverPolicy, string? subject,
        Func<QuoteUpdate, string, bool> onUpdate, CancellationToken cancellationToken)
    {
        var stream = await js.GetStreamAsync(options.Stream, cancellationToken: cancellationToken);
        if (stream.Info.State.Messages == 0)
        {
            return;
        }

        if (subject is not null)
        {
            var info = await js.GetStreamAsync(options.Stream, new StreamInfoRequest { SubjectsFilter = subject }, cancellationToken);
            if (info.Info.State.Subjects is not { Count: > 0 })
            {
                return;
            }
        }

        var consumer = await js.CreateOrderedConsumerAsync(options.Stream,
            new NatsJSOrderedConsumerOpts { DeliverPolicy = deliverPolicy, FilterSubjects = [subject ?? options.AllSubjects] }, cancellationToken);
        await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: cancellationToken))
        {
            var epoch = message.Headers?[QuoteMessage.EpochHeader].ToString() ?? "";
            if (!onUpdate(QuoteMessage.Decode(message.Data), epoch) || message.Metadata is not { NumPending: > 0 })
            {
                return;
            }
        }
    }
}
