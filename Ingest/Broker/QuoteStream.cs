using System.Security.Cryptography;
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

        var consumer = await CreateReaderAsync(js, options, deliverPolicy, subject ?? options.AllSubjects, 0, cancellationToken);
        try
        {
            await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: cancellationToken))
            {
                if (!onUpdate(QuoteMessage.Decode(message.Data), EpochOf(message)) || message.Metadata is not { NumPending: > 0 })
                {
                    return;
                }
            }
        }
        finally
        {
            await js.DeleteConsumerAsync(options.Stream, consumer.Info.Name, CancellationToken.None).AsTask()
                .ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>The epoch a message's seq belongs to (its header).</summary>
    public static string EpochOf(INatsJSMsg<byte[]> message) => message.Headers?[QuoteMessage.EpochHeader].ToString() ?? "";

    /// <summary>
    /// A reader of the stream: an unacknowledged, memory-held consumer with one filter subject (as nats-server 2.9
    /// knows it), removed by the server once idle when its reader is gone.
    /// </summary>
    public static async Task<INatsJSConsumer> CreateReaderAsync(INatsJSContext js, NatsOptions options, ConsumerConfigDeliverPolicy deliverPolicy,
        string filterSubject, ulong startSequence, CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig($"ticker-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}")
        {
            DeliverPolicy = deliverPolicy,
            FilterSubject = filterSubject,
            AckPolicy = ConsumerConfigAckPolicy.None,
            MemStorage = true,
            InactiveThreshold = TimeSpan.FromSeconds(30),
        };
        if (deliverPolicy == ConsumerConfigDeliverPolicy.ByStartSequence)
        {
            config.OptStartSeq = startSequence;
        }

        return await js.CreateOrUpdateConsumerAsync(options.Stream, config, cancellationToken);
    }
}
