using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Ticker.PushHub.Tests;

/// <summary>
/// A WebSocket the test drives: the client's messages come from <see cref="Incoming"/>, and each
/// send of the hub stays pending until the test releases it — a reader as slow as the test likes.
/// </summary>
internal sealed class ScriptedWebSocket : WebSocket
{
    private readonly Channel<TaskCompletionSource> _sends = Channel.CreateUnbounded<TaskCompletionSource>();
    private byte[]? _peeked;
    private WebSocketState _state = WebSocketState.Open;

    public Channel<string> Incoming { get; } = Channel.CreateUnbounded<string>();

    /// <summary>Set the first time the hub asks for a message and none is left: all written before were handled.</summary>
    public TaskCompletionSource Starved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<(WebSocketCloseStatus Status, string Reason)> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>Waits for the hub's next send and returns what completes it.</summary>
    public async Task<TaskCompletionSource> NextSendAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        return await _sends.Reader.ReadAsync(timeout.Token);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sends.Writer.TryWrite(sent);
        return new ValueTask(sent.Task);
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_peeked is null)
        {
            if (!Incoming.Reader.TryRead(out var text))
            {
                Starved.TrySetResult();
                text = await Incoming.Reader.ReadAsync(cancellationToken);
            }

            _peeked = Encoding.UTF8.GetBytes(text);
        }

        if (buffer.IsEmpty)
        {
            return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Text, endOfMessage: false);
        }

        var message = _peeked;
        _peeked = null;
        message.CopyTo(buffer);
        return new ValueWebSocketReceiveResult(message.Length, WebSocketMessageType.Text, endOfMessage: true);
    }

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.CloseSent;
        Closed.TrySetResult((closeStatus, statusDescription ?? ""));
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort()
    {
        _state = WebSocketState.Aborted;
        Closed.TrySetResult((WebSocketCloseStatus.Empty, "aborted"));
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken);
        return new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
    }

    public override void Dispose() => _state = WebSocketState.Closed;
}
