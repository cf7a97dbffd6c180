using Grpc.Core;
using Microsoft.Extensions.Options;
using Ticker.Database;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Grpc.V1;
using Ticker.PushHub.Identity;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Grpc;

/// <summary>
/// ticker.v1.TickerService. Subscribe shares the WebSocket's machinery (queues, merging, resume);
/// the history calls share the HTTP API's store. Bad arguments are InvalidArgument naming the field.
/// </summary>
internal sealed partial class TickerGrpcService(
    SubscriptionManager subscriptions, TickPipeline pipeline, TickStore store, IOptions<HubOptions> options, PushMetrics metrics, TimeProvider clock,
    GrpcStreamLimiter streams, [FromKeyedServices(TickerDataSource.History)] TickStore history)
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
        await pipeline.Started.WaitAsync(context.CancellationToken);
        var queue = new SubscriberQueue(limits.MaxQueuedBytes);
        metrics.Connections.Add(1);
        try
        {
            subscriptions.Subscribe(queue, caller, request.Symbols.Distinct(StringComparer.Ordinal).ToList(),
                request.MaxRate > 0 ? request.MaxRate : null, request.Resume, request.Epoch.Length > 0 ? request.Epoch : null);
            using var expiry = GrpcCaller.UntilExpiry(caller, clock, context.CancellationToken);
            try
            {
                await StreamAsync(queue, responseStream, limits, expiry.Token);
            }
            catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
            {
            }

            GrpcCaller.ThrowIfExpired(caller, clock);
        }
        finally
        {
            subscriptions.Forget(queue);
            metrics.Connections.Add(-1);
        }
    }

    private async Task StreamAsync(SubscriberQueue queue, IServerStreamWriter<QuoteMessage> stream, HubOptions limits, CancellationToken cancellationToken)
    {
        var lastSent = clock.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var (messages, next) = queue.Take(now);
            if (queue.CutOffReason is { } overBudget)
            {
                metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", "over budget"));
                throw new RpcException(new Status(StatusCode.ResourceExhausted, overBudget));
            }

            // The whole drain, not each message, must be accepted within the stall timeout: a reader
            // taking one message now and then does not hold the hub's messages for ever.
            using var stalled = messages.Count > 0 ? new CancellationTokenSource(limits.StallTimeout, clock) : null;
            foreach (var message in messages)
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stalled!.Token);
                try
                {
                    await stream.WriteAsync(GrpcMapping.ToMessage(message), either.Token);
                }
                catch (OperationCanceledException) when (stalled.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", "too slow"));
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the client took longer than {limits.StallTimeout} to accept a message"));
                }

                metrics.MessagesSent.Add(1);
                if (message is Outgoing.Delta delta)
                {
                    metrics.MergedUpdates.Add(delta.Merged - 1);
                }
            }

            if (messages.Count > 0)
            {
                lastSent = now;
                continue;
            }

            // While the symbols are quiet a heartbeat shows the stream is alive, and a write to a
            // peer that is gone fails, which ends the call.
            var heartbeatDue = lastSent + limits.HeartbeatInterval;
            if (now >= heartbeatDue)
            {
                using var heartbeatStalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                heartbeatStalled.CancelAfter(limits.StallTimeout);
                await stream.WriteAsync(GrpcMapping.Heartbeat(now), heartbeatStalled.Token);
                lastSent = now;
                continue;
            }

            var wake = next is { } n && n < heartbeatDue ? n : heartbeatDue;
            try
            {
                await queue.WhenSignaled().WaitAsync(wake - now, clock, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
