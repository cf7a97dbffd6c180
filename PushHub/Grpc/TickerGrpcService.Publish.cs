using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Ticker.Database.Ticks;
using Ticker.PushHub.Grpc.V1;
using Ticker.PushHub.Identity;
using Tick = Ticker.Database.Ticks.Tick;

namespace Ticker.PushHub.Grpc;

internal sealed partial class TickerGrpcService
{
    private const int PublishBatch = 1000;
    private const int MaxIdempotencyKeyLength = 128;
    private static readonly TimeSpan PublishFlushAfter = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan KeyExpiryEvery = TimeSpan.FromHours(1);
    private static long _nextKeyExpiry;

    /// <summary>
    /// A feed over gRPC. Without an idempotency key, ticks are validated one by one and written in
    /// batches (one binary COPY each) of up to 1,000 or every 50 ms, whichever comes first — also
    /// while the stream is quiet. A bad tick ends the call with InvalidArgument naming it; the
    /// batches written before it stay written, and the status says how many were accepted. With a
    /// key on the first message, the whole call is one transaction with the key: all or nothing,
    /// and written once however often it is retried.
    /// </summary>
    public override async Task<PublishResponse> Publish(IAsyncStreamReader<PublishTick> requestStream, ServerCallContext context)
    {
        var publisher = Authorize(context);
        if (!await requestStream.MoveNext(context.CancellationToken))
        {
            return new PublishResponse();
        }

        var key = requestStream.Current.IdempotencyKey;
        if (key.Length > MaxIdempotencyKeyLength)
        {
            throw Invalid($"idempotency_key: at most {MaxIdempotencyKeyLength} characters");
        }

        return key.Length == 0
            ? await PublishBatchedAsync(requestStream, publisher, context.CancellationToken)
            : await PublishKeyedAsync(requestStream, publisher, key, context.CancellationToken);
    }

    private async Task<PublishResponse> PublishBatchedAsync(IAsyncStreamReader<PublishTick> requestStream, PublisherKey publisher, CancellationToken cancellationToken)
    {
        var batch = new List<Tick>(PublishBatch);
        long accepted = 0, index = 0;
        var batchStarted = clock.GetTimestamp();
        Task<bool>? next = Task.FromResult(true); // the first message is already read
        while (true)
        {
            next ??= requestStream.MoveNext(cancellationToken);
            if (batch.Count > 0 && !next.IsCompleted)
            {
                // A quiet stream must not hold its last ticks back until the next message comes.
                var due = PublishFlushAfter - clock.GetElapsedTime(batchStarted);
                if (due > TimeSpan.Zero)
                {
                    await Task.WhenAny(next, Task.Delay(due, clock, cancellationToken));
                }

                if (!next.IsCompleted)
                {
                    await FlushAsync();
                    continue;
                }
            }

            if (!await next)
            {
                break;
            }

            next = null;
            var message = requestStream.Current;
            if (message.IdempotencyKey.Length > 0)
            {
                throw Invalid($"tick {index}: idempotency_key: set it on the first message of a call; {accepted} earlier ticks were written, the {batch.Count} pending were not");
            }

            if (batch.Count == 0)
            {
                batchStarted = clock.GetTimestamp();
            }

            if (CheckTick(message, publisher, out var tick) is { } refusal)
            {
                throw Refused(refusal, index, $"{accepted} earlier ticks were written, the {batch.Count} pending were not");
            }

            index++;
            batch.Add(tick);
            if (batch.Count >= PublishBatch || clock.GetElapsedTime(batchStarted) > PublishFlushAfter)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        return new PublishResponse { Accepted = accepted };

        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                accepted += await store.AppendAsync(batch, cancellationToken);
                batch.Clear();
            }
        }
    }

    private async Task<PublishResponse> PublishKeyedAsync(IAsyncStreamReader<PublishTick> requestStream, PublisherKey publisher, string key, CancellationToken cancellationToken)
    {
        long index = 0;
        await using (var writer = await store.BeginKeyedAsync(publisher.Id, key, cancellationToken))
        {
            do
            {
                var message = requestStream.Current;
                if (message.IdempotencyKey.Length > 0 && message.IdempotencyKey != key)
                {
                    throw Invalid($"tick {index}: idempotency_key: one key per call; nothing was written");
                }

                // A duplicate is still read and checked, so a retry learns of a bad tick as the first call did.
                if (CheckTick(message, publisher, out var tick) is { } refusal)
                {
                    throw Refused(refusal, index, "nothing was written");
                }

                index++;
                await writer.WriteAsync(tick, cancellationToken);
            }
            while (await requestStream.MoveNext(cancellationToken));

            var response = writer.Duplicate
                ? new PublishResponse { Accepted = writer.EarlierAccepted, Duplicate = true }
                : new PublishResponse { Accepted = await writer.CommitAsync(cancellationToken) };
            await ExpireKeysNowAndThenAsync(cancellationToken);
            return response;
        }
    }

    private async Task ExpireKeysNowAndThenAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var due = Interlocked.Read(ref _nextKeyExpiry);
        if (now >= due && Interlocked.CompareExchange(ref _nextKeyExpiry, now + KeyExpiryEvery.Ticks, due) == due)
        {
            await store.ExpirePublishKeysAsync(options.Value.PublishKeyRetention, cancellationToken);
        }
    }

    /// <summary>Why a tick is refused (and with which status), or null with the tick.</summary>
    private (StatusCode Code, string Reason)? CheckTick(PublishTick m, PublisherKey publisher, out Tick tick)
    {
        tick = default;
        var priceOk = TryPrice(m.Price, out var price);
        var now = clock.GetUtcNow();
        var ts = m.Ts is null ? now : SafeTimestamp(m.Ts);
        var problem = Symbols.Explain(m.Symbol) is { } why ? $"symbol: {why}"
            : ts is null ? "ts: not a valid time stamp"
            : TickTime.Explain(ts.Value, now, pipeline.MaxFutureSkew) is { } late ? $"ts: {late}"
            : !priceOk ? $"price \"{m.Price}\": a positive decimal with at most 8 places"
            : m.Size < 0 ? "size must not be negative"
            : m.HasBid && !TryPrice(m.Bid, out _) ? $"bid \"{m.Bid}\": a positive decimal"
            : m.HasAsk && !TryPrice(m.Ask, out _) ? $"ask \"{m.Ask}\": a positive decimal"
            : null;
        if (problem is not null)
        {
            return (StatusCode.InvalidArgument, problem);
        }

        if (!publisher.Allows(m.Symbol))
        {
            return (StatusCode.PermissionDenied, $"symbol {m.Symbol}: this x-publisher-key may publish {publisher.Scope} only");
        }

        tick = new Tick(m.Symbol, ts!.Value, price, m.Size,
            m.HasBid ? decimal.Parse(m.Bid, CultureInfo.InvariantCulture) : null,
            m.HasAsk ? decimal.Parse(m.Ask, CultureInfo.InvariantCulture) : null);
        return null;
    }

    private static RpcException Refused((StatusCode Code, string Reason) refusal, long index, string consequence) =>
        new(new Status(refusal.Code, string.Create(CultureInfo.InvariantCulture, $"tick {index}: {refusal.Reason}; {consequence}")));

    // A Timestamp outside 0001..9999 (or with nanos out of range) cannot be converted at all.
    private static DateTimeOffset? SafeTimestamp(Google.Protobuf.WellKnownTypes.Timestamp ts)
    {
        try
        {
            return ts.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool TryPrice(string text, out decimal price) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out price)
        && price > 0 && price < 1_000_000_000_000m && price.Scale <= 8;

    /// <summary>
    /// A token with the <c>publish</c> scope, or the <c>x-publisher-key</c> header matching a configured
    /// key (compared in constant time); returns the publisher, with the symbols it may publish.
    /// </summary>
    private PublisherKey Authorize(ServerCallContext context)
    {
        // A token with the publish scope is the other way in (in Auth:Mode=none the anonymous caller has no such scope).
        var caller = CallerIdentity.Of(context.GetHttpContext());
        if (caller is not null && caller.Has(Scopes.Publish))
        {
            return PublisherKey.ForToken(caller);
        }

        if (caller is null && context.RequestHeaders.GetValue("x-publisher-key") is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a bearer token with the publish scope (or an x-publisher-key) is required"));
        }

        var keys = options.Value.PublisherKeys;
        if (keys.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "publishing is disabled: no Hub:PublisherKeys are configured"));
        }

        var presented = context.RequestHeaders.GetValue("x-publisher-key");
        if (presented is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the x-publisher-key header is missing"));
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        PublisherKey? match = null;
        foreach (var entry in keys)
        {
            var key = PublisherKey.Parse(entry);
            if (CryptographicOperations.FixedTimeEquals(given, key.Secret))
            {
                match ??= key;
            }
        }

        return match ?? throw new RpcException(new Status(StatusCode.PermissionDenied, "the x-publisher-key is not accepted"));
    }
}
