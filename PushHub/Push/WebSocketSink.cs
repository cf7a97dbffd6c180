using System.Buffers;
using System.Net.WebSockets;
using Ticker.PushHub.Identity;

namespace Ticker.PushHub.Push;

/// <summary>
/// The WebSocket as a <see cref="ISubscriberSink"/>: JSON text frames (docs/protocol.md), with
/// <c>?batch=1</c> the messages of one drain as one frame holding a JSON array — far fewer frames
/// (and system calls on both ends) when a client subscribes to many busy symbols.
/// </summary>
internal sealed class WebSocketSink(WebSocket socket, bool batch, PushMetrics metrics, TimeProvider clock) : ISubscriberSink
{
    private const int MaxBatchBytes = 64 * 1024;

    /// <summary>1012 (RFC 6455 §7.4, IANA registry): the service is restarting; the client should reconnect.</summary>
    internal const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;

    // Set when the close begins: a drain the pump gave up on (too slow) may still be sending, and must
    // stop at its next message, or its sends would race the close frame.
    private volatile bool _closing;

    public ValueTask<bool> WriteAsync(Outgoing message, CancellationToken cancellationToken) => SendAsync(Encode(message), cancellationToken);

    public async ValueTask<bool> WriteManyAsync(IReadOnlyList<Outgoing> messages, CancellationToken cancellationToken)
    {
        if (!batch)
        {
            foreach (var message in messages)
            {
                if (!await SendAsync(Encode(message), cancellationToken))
                {
                    return false;
                }
            }

            return true;
        }

        var frame = new ArrayBufferWriter<byte>(4096);
        foreach (var message in messages)
        {
            var json = Encode(message);
            if (frame.WrittenCount + json.Length + 2 > MaxBatchBytes && frame.WrittenCount > 0 && !await SendBatchAsync(frame, cancellationToken))
            {
                return false;
            }

            frame.Write(frame.WrittenCount == 0 ? "["u8 : ","u8);
            frame.Write(json);
        }

        return frame.WrittenCount == 0 || await SendBatchAsync(frame, cancellationToken);
    }

    public ValueTask<bool> WriteHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        SendAsync(QuoteJson.Heartbeat(now), cancellationToken);

    /// <summary>The close frame with the reason's code; a client that does not take it within 5 s is dropped.</summary>
    public async Task CloseAsync(CloseReason reason)
    {
        _closing = true;
        var status = Status(reason.Kind);
        if (status != WebSocketCloseStatus.NormalClosure)
        {
            metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", status.ToString()));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), clock);
        try
        {
            await socket.CloseOutputAsync(status, Truncate(reason.Text), timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    internal static WebSocketCloseStatus Status(CloseKind kind) => kind switch
    {
        CloseKind.Normal => WebSocketCloseStatus.NormalClosure,
        CloseKind.MessageTooBig => WebSocketCloseStatus.MessageTooBig,
        CloseKind.UnsupportedData => WebSocketCloseStatus.InvalidMessageType,
        CloseKind.Unauthenticated => CloseCodes.Unauthorized,
        CloseKind.TokenExpired => CloseCodes.TokenExpired,
        CloseKind.Restarting => ServiceRestart,
        CloseKind.OverBudget or CloseKind.TooSlow => WebSocketCloseStatus.PolicyViolation,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no WebSocket close code"),
    };

    private static byte[] Encode(Outgoing message) => message switch
    {
        Outgoing.Delta { IsShared: true } shared => shared.Latest.DeltaJson,
        Outgoing.Delta delta => QuoteJson.Delta(delta.Latest.Update.Quote, delta.Changed, delta.Merged),
        Outgoing.Snapshot snapshot => QuoteJson.Snapshot(snapshot.Quote, snapshot.Epoch),
        Outgoing.Reset reset => QuoteJson.Reset(reset.Quote, reset.Reason, reset.Epoch),
        Outgoing.Encoded encoded => encoded.Bytes,
        _ => throw new InvalidOperationException($"cannot encode {message}"),
    };

    /// <summary>A close reason fits in 123 bytes of UTF-8 (RFC 6455 section 5.5).</summary>
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];

    private async ValueTask<bool> SendBatchAsync(ArrayBufferWriter<byte> frame, CancellationToken cancellationToken)
    {
        frame.Write("]"u8);
        var sent = await SendAsync(frame.WrittenMemory, cancellationToken);
        frame.ResetWrittenCount();
        return sent;
    }

    /// <summary>False when the client is gone; a send that stays pending is the pump's to time out.</summary>
    private async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        if (_closing)
        {
            return false;
        }

        try
        {
            await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            metrics.BytesSent.Add(json.Length);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
