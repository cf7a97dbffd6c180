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
    private static readonly TimeSpan PublishFlushAfter = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// A feed over gRPC: ticks are validated one by one and written in batches (one binary COPY
    /// each). A bad tick ends the call with InvalidArgument naming it; the batches written before it
    /// stay written, and the status says how many were accepted.
    /// </summary>
    public override async Task<PublishResponse> Publish(IAsyncStreamReader<PublishTick> requestStream, ServerCallContext context)
    {
        Authorize(context);
        var batch = new List<Tick>(PublishBatch);
        long accepted = 0, index = 0;
        var batchStarted = clock.GetTimestamp();
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (Parse(message, index++) is not { } tick)
            {
                continue;
            }

            batch.Add(tick);
            if (batch.Count >= PublishBatch || clock.GetElapsedTime(batchStarted) > PublishFlushAfter)
            {
                accepted += await store.AppendAsync(batch, context.CancellationToken);
                batch.Clear();
                batchStarted = clock.GetTimestamp();
            }
        }

        if (batch.Count > 0)
        {
            accepted += await store.AppendAsync(batch, context.CancellationToken);
        }

        return new PublishResponse { Accepted = accepted };

        Tick? Parse(PublishTick m, long i)
        {
            var priceOk = TryPrice(m.Price, out var price);
            var problem = Symbols.Explain(m.Symbol) is { } why ? $"symbol: {why}"
                : !priceOk ? $"price \"{m.Price}\": a positive decimal with at most 8 places"
                : m.Size < 0 ? "size must not be negative"
                : m.HasBid && !TryPrice(m.Bid, out _) ? $"bid \"{m.Bid}\": a positive decimal"
                : m.HasAsk && !TryPrice(m.Ask, out _) ? $"ask \"{m.Ask}\": a positive decimal"
                : null;
            if (problem is not null)
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture,
                    $"tick {i}: {problem}; {accepted} earlier ticks were written, the {batch.Count} pending were not"));
            }

            return new Tick(m.Symbol, m.Ts?.ToDateTimeOffset() ?? clock.GetUtcNow(), price, m.Size,
                m.HasBid ? decimal.Parse(m.Bid, CultureInfo.InvariantCulture) : null,
                m.HasAsk ? decimal.Parse(m.Ask, CultureInfo.InvariantCulture) : null);
        }
    }

    private static bool TryPrice(string text, out decimal price) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out price)
        && price > 0 && price < 1_000_000_000_000m && price.Scale <= 8;

    /// <summary>A token with the <c>publish</c> scope, or the <c>x-publisher-key</c> header must match a configured key (compared in constant time).</summary>
    private void Authorize(ServerCallContext context)
    {
        // A token with the publish scope is the other way in (in Auth:Mode=none the anonymous caller has no such scope).
        var caller = CallerIdentity.Of(context.GetHttpContext());
        if (caller is not null && caller.Has(Scopes.Publish))
        {
            return;
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
        var match = false;
        foreach (var key in keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        if (!match)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "the x-publisher-key is not accepted"));
        }
    }
}
