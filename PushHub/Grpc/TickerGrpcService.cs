using Grpc.Core;
using Microsoft.Extensions.Options;
using Ticker.Database;
using Ticker.Database.Reference;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Grpc.V1;
using Ticker.PushHub.Identity;
using Ticker.PushHub.Push;
using Ticker.PushHub.Reference;

namespace Ticker.PushHub.Grpc;

/// <summary>
/// ticker.v1.TickerService. Subscribe shares the WebSocket's machinery (queues, merging, resume, the
/// <see cref="DeliveryPump"/>); the history calls share the HTTP API's store. Bad arguments are InvalidArgument naming the field.
/// </summary>
internal sealed partial class TickerGrpcService(
    SubscriptionManager subscriptions, TickPipeline pipeline, IQuoteFeed feed, TickStore store, IOptions<HubOptions> options, PushMetrics metrics, TimeProvider clock,
    ILogger<TickerGrpcService> logger, GrpcStreamLimiter streams, [FromKeyedServices(TickerDataSource.History)] TickStore history,
    [FromKeyedServices(TickerDataSource.History)] SymbolDirectory symbolDirectory, UnknownSymbols unknownSymbols)
    : TickerService.TickerServiceBase
{
    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<QuoteMessage> responseStream, ServerCallContext context)
    {
        var limits = options.Value;
        if (request.Symbols.Count == 0)
        {
            throw Invalid("symbols: name at least one symbol, or \"*\"");
        }

        if (request.Symbols.Count > limits.MaxSymbolsPerConnection)
        {
            throw Invalid($"symbols: at most {limits.MaxSymbolsPerConnection} per subscription");
        }

        foreach (var symbol in request.Symbols.Append(request.Resume.Keys.FirstOrDefault() ?? "*"))
        {
            if (symbol != "*" && Symbols.Explain(symbol) is { } why)
            {
                throw Invalid($"{symbol}: {why}");
            }
        }

        if (request.MaxRate is < 0 or > 1000 || (request.MaxRate > 0 && request.MaxRate < 0.1))
        {
            throw Invalid("max_rate: between 0.1 and 1000 updates per second, or 0 for no limit");
        }

        if (request.Resume.Any(r => r.Value < 0 || Symbols.Explain(r.Key) is not null))
        {
            throw Invalid("resume: symbol to a non-negative seq");
        }

        if (request.Epoch.Length > ResumeEpoch.MaxLength)
        {
            throw Invalid($"epoch: at most {ResumeEpoch.MaxLength} characters, as a SNAPSHOT or RESET gave it");
        }

        var caller = GrpcCaller.Require(context, Scopes.Subscribe, request.Symbols.Concat(request.Resume.Keys));
        using var slot = streams.Enter(context.GetHttpContext().Connection.RemoteIpAddress, limits.MaxConnectionsPerAddress)
            ?? throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"at most {limits.MaxConnectionsPerAddress} Subscribe streams per client address (Hub:MaxConnectionsPerAddress)"));
        await feed.Started.WaitAsync(context.CancellationToken);
        var queue = new SubscriberQueue(limits.MaxQueuedBytes);
        metrics.Connections.Add(1);
        try
        {
            subscriptions.Subscribe(queue, caller, request.Symbols.Distinct(StringComparer.Ordinal).ToList(),
                request.MaxRate > 0 ? request.MaxRate : null, request.Resume, request.Epoch.Length > 0 ? request.Epoch : null);
            using var expiry = GrpcCaller.UntilExpiry(caller, clock, context.CancellationToken);
            using var sink = new GrpcStreamSink(responseStream, limits);
            try
            {
                await new DeliveryPump(queue, sink, limits, metrics, clock, logger).RunAsync(expiry.Token);
            }
            catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
            {
            }

            GrpcCaller.ThrowIfExpired(expiry, context.CancellationToken);
            if (sink.Ended is { } ended)
            {
                throw ended;
            }
        }
        finally
        {
            subscriptions.Forget(queue);
            metrics.Connections.Add(-1);
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
