using System.Buffers;
using System.Net.WebSockets;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Identity;
using Ticker.PushHub.WebRtc;

namespace Ticker.PushHub.Push;

/// <summary>
/// One WebSocket client: a reader that parses commands, and a writer that drains the client's
/// <see cref="SubscriberQueue"/>. Only the writer sends, so a stalled client blocks only itself; if
/// one message cannot be delivered within <see cref="HubOptions.StallTimeout"/> the client is cut off.
/// The socket is also the signaling channel of a WebRTC session: while its data channel is open,
/// updates go over it as full quotes (a lost one is superseded by the next), the rest stays here.
/// </summary>
internal sealed partial class WebSocketSession(
    WebSocket socket, SubscriptionManager subscriptions, HubOptions options, PushMetrics metrics, TimeProvider clock, ILogger logger, bool batch,
    WebRtcServer? rtc = null, System.Net.IPAddress? remoteAddress = null, WebSocketAuth? auth = null) : IPeerSessionOwner
{
    // With ?batch=1 the messages of one drain go out as one frame holding a JSON array: far fewer
    // frames (and system calls on both ends) when a client subscribes to many busy symbols.
    private const int MaxBatchBytes = 64 * 1024;

    private readonly SubscriberQueue _queue = new(options.MaxQueuedBytes);

    // When the writer began its current drain: every send of it must be done by StallTimeout after.
    private DateTimeOffset _batchStarted;
    private readonly WebSocketAuth _auth = auth ?? WebSocketAuth.Open;

    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        metrics.Connections.Add(1);
        _caller = _auth.Initial;
        var identity = WatchIdentityAsync(stop.Token);
        try
        {
            var writer = WriteAsync(stop.Token);
            var reader = ReadAsync(stop.Token);
            if (await Task.WhenAny(reader, writer) == reader)
            {
                // The reader asked for a close (or saw the client go): let the writer send it.
                await writer.WaitAsync(TimeSpan.FromSeconds(5), clock).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else
            {
                // The writer sent a close (or found the client gone): wait briefly for the client's close
                // in reply (RFC 6455 section 7.1.1), since tearing the connection down first would reset it
                // and discard the close frame with its reason still on its way. Briefly: a draining hub
                // must still exit within Hub:DrainTimeout when clients never answer.
                await reader.WaitAsync(TimeSpan.FromSeconds(2), clock).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await stop.CancelAsync();
            await Task.WhenAll(reader, writer, identity).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            Interlocked.Exchange(ref _peer, null)?.End("the signaling WebSocket closed");
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
                    _queue.Enqueue(new Outgoing.Close(WebSocketCloseStatus.NormalClosure, "bye"));
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
            _queue.Enqueue(new Outgoing.Close(WebSocketCloseStatus.NormalClosure, "bye"));
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
                _queue.Enqueue(new Outgoing.Close(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {limit} bytes"));
                return false;
            }

            result = await socket.ReceiveAsync(buffer.AsMemory(length, limit - length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        switch (result.MessageType)
        {
            case WebSocketMessageType.Close:
                _queue.Enqueue(new Outgoing.Close(WebSocketCloseStatus.NormalClosure, "bye"));
                return false;
            case WebSocketMessageType.Binary:
                _queue.Enqueue(new Outgoing.Close(WebSocketCloseStatus.InvalidMessageType, "binary frames are not supported; send JSON text"));
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
                Answer(offer);
                break;
            case ClientCommand.Invalid invalid:
                Reply(QuoteJson.Error(invalid.Code, invalid.Message, invalid.Id));
                break;
        }
    }

    private void Reply(byte[] json) => _queue.Enqueue(new Outgoing.Encoded(json));

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        var lastSent = clock.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var (messages, next) = _queue.Take(now);
            _batchStarted = now;
            if (_queue.CutOffReason is { } overBudget)
            {
                metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", "over budget"));
                PushLog.ClientOverBudget(logger, overBudget);
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, CloseReason(overBudget));
                return;
            }

            var closeAt = messages.FindIndex(m => m is Outgoing.Close);
            if (closeAt >= 0)
            {
                var close = (Outgoing.Close)messages[closeAt];
                await SendAllAsync(messages.GetRange(0, closeAt), cancellationToken);
                await CloseAsync(close.Status, close.Reason);
                return;
            }

            if (!await SendAllAsync(messages, cancellationToken))
            {
                return;
            }

            if (TakeSettled(now) is { } settled)
            {
                foreach (var quote in settled)
                {
                    if (!await SendAsync(quote, cancellationToken))
                    {
                        return;
                    }
                }

                lastSent = now;
                continue;
            }

            if (messages.Count > 0)
            {
                lastSent = now;
                continue;
            }

            var heartbeatDue = lastSent + options.HeartbeatInterval;
            if (now >= heartbeatDue)
            {
                if (!await SendAsync(QuoteJson.Heartbeat(now), cancellationToken))
                {
                    return;
                }

                lastSent = now;
                continue;
            }

            var wake = next is { } n && n < heartbeatDue ? n : heartbeatDue;
            wake = NextSettle() is { } settle && settle < wake ? settle : wake;
            try
            {
                await _queue.WhenSignaled().WaitAsync(wake - now, clock, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> SendAllAsync(List<Outgoing> messages, CancellationToken cancellationToken)
    {
        var frame = batch && messages.Count > 1 ? new ArrayBufferWriter<byte>(4096) : null;
        foreach (var message in messages)
        {
            if (message is Outgoing.Delta delta)
            {
                metrics.MergedUpdates.Add(delta.Merged - 1);
                if (TrySendOverChannel(delta))
                {
                    metrics.Latency.Record((clock.GetUtcNow() - delta.Latest.Update.CommitTime).TotalMilliseconds);
                    continue;
                }
            }

            var json = Encode(message);
            if (frame is null)
            {
                if (!await SendAsync(json, cancellationToken))
                {
                    return false;
                }
            }
            else
            {
                if (frame.WrittenCount + json.Length + 2 > MaxBatchBytes && frame.WrittenCount > 0)
                {
                    if (!await SendBatchAsync(frame, cancellationToken))
                    {
                        return false;
                    }
                }

                frame.Write(frame.WrittenCount == 0 ? "["u8 : ","u8);
                frame.Write(json);
            }

            if (message is Outgoing.Delta sent)
            {
                metrics.Latency.Record((clock.GetUtcNow() - sent.Latest.Update.CommitTime).TotalMilliseconds);
            }
        }

        return frame is not { WrittenCount: > 0 } || await SendBatchAsync(frame, cancellationToken);
    }

    private async Task<bool> SendBatchAsync(ArrayBufferWriter<byte> frame, CancellationToken cancellationToken)
    {
        frame.Write("]"u8);
        var sent = await SendAsync(frame.WrittenMemory, cancellationToken);
        frame.ResetWrittenCount();
        return sent;
    }

    private byte[] Encode(Outgoing message) => message switch
    {
        // After quotes went over the data channel (any may be lost), the WebSocket's next update of the symbol is its full quote.
        Outgoing.Delta delta when _unsettled.Remove(delta.Latest.Symbol) => QuoteJson.FullQuote(delta.Latest.Update.Quote),
        Outgoing.Delta { IsShared: true } shared => shared.Latest.DeltaJson,
        Outgoing.Delta delta => QuoteJson.Delta(delta.Latest.Update.Quote, delta.Changed, delta.Merged),
        Outgoing.Snapshot snapshot => QuoteJson.Snapshot(snapshot.Quote, snapshot.Epoch),
        Outgoing.Reset reset => QuoteJson.Reset(reset.Quote, reset.Reason, reset.Epoch),
        Outgoing.Encoded encoded => encoded.Bytes,
        _ => throw new InvalidOperationException($"cannot encode {message}"),
    };

    /// <summary>
    /// Sends one message; false when the client is gone or stalled. A drain of the queue (all its
    /// sends) must finish within <see cref="HubOptions.StallTimeout"/>, so a reader taking one frame
    /// now and then cannot hold the hub's messages for ever; a stalled client is closed with 1008
    /// when the close can still get through, and dropped when it cannot.
    /// </summary>
    private async Task<bool> SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        try
        {
            var send = socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            if (!send.IsCompletedSuccessfully)
            {
                var left = _batchStarted + options.StallTimeout - clock.GetUtcNow();
                try
                {
                    await send.AsTask().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, clock, cancellationToken);
                }
                catch (TimeoutException)
                {
                    metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", "too slow"));
                    PushLog.ClientTooSlow(logger, options.StallTimeout);
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, "too slow");
                    return false;
                }
            }

            metrics.MessagesSent.Add(1);
            metrics.BytesSent.Add(json.Length);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A close reason fits in 123 bytes of UTF-8 (RFC 6455 section 5.5).</summary>
    private static string CloseReason(string reason) => reason.Length <= 120 ? reason : reason[..120];

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (status != WebSocketCloseStatus.NormalClosure)
        {
            metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", status.ToString()));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), clock);
        try
        {
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }
}
