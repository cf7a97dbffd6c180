using System.Buffers;
using System.Net.WebSockets;
using Ticker.PushHub.Identity;
using Ticker.PushHub.WebRtc;

namespace Ticker.PushHub.Push;

/// <summary>
/// One WebSocket client: a reader that parses commands, and a <see cref="DeliveryPump"/> that drains
/// the client's <see cref="SubscriberQueue"/> into the socket (<see cref="WebSocketSink"/>). The
/// socket is also the signaling channel of a WebRTC session: while its data channel is open,
/// updates go over it (<see cref="DataChannelSink"/>, in front of the WebSocket's sink).
/// </summary>
internal sealed partial class WebSocketSession(
    WebSocket socket, SubscriptionManager subscriptions, HubOptions options, PushMetrics metrics, TimeProvider clock, ILogger logger, bool batch,
    WebRtcServer? rtc = null, System.Net.IPAddress? remoteAddress = null, WebSocketAuth? auth = null)
{
    private readonly SubscriberQueue _queue = new(options.MaxQueuedBytes);
    private readonly WebSocketAuth _auth = auth ?? WebSocketAuth.Open;

    // The data channel, when the hub offers WebRTC; set before the reader starts.
    private DataChannelSink? _channel;

    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        metrics.Connections.Add(1);
        _caller = _auth.Initial;
        ISubscriberSink sink = new WebSocketSink(socket, batch, metrics, clock);
        if (rtc is not null)
        {
            sink = _channel = new DataChannelSink(sink, rtc, Reply, remoteAddress, clock);
        }

        var identity = WatchIdentityAsync(stop.Token);
        try
        {
            var writer = new DeliveryPump(_queue, sink, options, metrics, clock, logger).RunAsync(stop.Token);
            var reader = ReadAsync(stop.Token);
            if (await Task.WhenAny(reader, writer) == reader)
            {
                // The reader asked for a close (or saw the client go): let the writer send it.
                await writer.WaitAsync(TimeSpan.FromSeconds(5), clock, aborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else
            {
                // The writer sent a close (or found the client gone): wait briefly for the client's close
                // in reply (RFC 6455 section 7.1.1), since tearing the connection down first would reset it
                // and discard the close frame with its reason still on its way. Briefly: a draining hub
                // must still exit within Hub:DrainTimeout when clients never answer.
                await reader.WaitAsync(TimeSpan.FromSeconds(2), clock, aborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await stop.CancelAsync();
            await Task.WhenAll(reader, writer, identity).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            _channel?.End("the signaling WebSocket closed");
            subscriptions.Forget(_queue);
            metrics.Connections.Add(-1);
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var ops = new OpsRateLimiter(options.MaxOpsPerSecond, clock);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Wait for data without a buffer: an idle connection holds no receive memory.
                var peek = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
                if (peek.MessageType == WebSocketMessageType.Close)
                {
                    _queue.Enqueue(new Outgoing.Close(CloseReason.Bye));
                    return;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(options.MaxMessageBytes);
                try
                {
                    if (!await ReadMessageAsync(buffer, ops, cancellationToken))
                    {
                        return;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away, or the session is ending: the writer closes what is left.
            _queue.Enqueue(new Outgoing.Close(CloseReason.Bye));
        }
    }

    /// <summary>Reads and handles one message; false when the connection is to be closed.</summary>
    private async Task<bool> ReadMessageAsync(byte[] buffer, OpsRateLimiter ops, CancellationToken cancellationToken)
    {
        var limit = options.MaxMessageBytes;
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == limit)
            {
                _queue.Enqueue(new Outgoing.Close(new CloseReason(CloseKind.MessageTooBig, $"messages are limited to {limit} bytes")));
                return false;
            }

            result = await socket.ReceiveAsync(buffer.AsMemory(length, limit - length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        switch (result.MessageType)
        {
            case WebSocketMessageType.Close:
                _queue.Enqueue(new Outgoing.Close(CloseReason.Bye));
                return false;
            case WebSocketMessageType.Binary:
                _queue.Enqueue(new Outgoing.Close(new CloseReason(CloseKind.UnsupportedData, "binary frames are not supported; send JSON text")));
                return false;
        }

        if (!ops.TryTake())
        {
            _queue.EnqueueRateLimited(new Outgoing.Encoded(QuoteJson.Error("rate-limited",
                $"more than {options.MaxOpsPerSecond} messages per second; this one was ignored", null)));
            return true;
        }

        var command = ClientCommand.Parse(buffer.AsMemory(0, length), options.MaxSymbolsPerConnection);
        if (!await AdmitAsync(command, cancellationToken))
        {
            return false;
        }

        Handle(command);
        return true;
    }

    private void Handle(ClientCommand command)
    {
        switch (command)
        {
            case ClientCommand.Subscribe subscribe:
                if (!Entitled(subscribe, Caller!))
                {
                    return;
                }

                // Re-rating a symbol already held adds nothing to the count.
                if (_queue.NamedSymbols + _queue.CountNotNamed(subscribe.Symbols) > options.MaxSymbolsPerConnection)
                {
                    Reply(QuoteJson.Error("too-many-symbols", $"at most {options.MaxSymbolsPerConnection} symbols per connection", command.Id));
                    return;
                }

                Reply(QuoteJson.Acknowledge("subscribed", subscribe.Symbols, command.Id, subscriptions.Epoch));
                subscriptions.Subscribe(_queue, Caller!, subscribe.Symbols, subscribe.MaxRate, subscribe.Resume, subscribe.Epoch);
                break;
            case ClientCommand.Unsubscribe unsubscribe:
                subscriptions.Unsubscribe(_queue, unsubscribe.Symbols);
                Reply(QuoteJson.Acknowledge("unsubscribed", unsubscribe.Symbols, command.Id));
                break;
            case ClientCommand.Ping:
                Reply(QuoteJson.Pong(command.Id, clock.GetUtcNow()));
                break;
            case ClientCommand.RtcOffer offer:
                Reply(_channel is null
                    ? QuoteJson.Error("not-supported", "WebRTC data channels are disabled on this hub (WebRtc:Enabled is false)", offer.Id)
                    : _channel.Answer(offer));
                break;
            case ClientCommand.Invalid invalid:
                Reply(QuoteJson.Error(invalid.Code, invalid.Message, invalid.Id));
                break;
        }
    }

    private void Reply(byte[] json) => _queue.Enqueue(new Outgoing.Encoded(json));
}
