using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ticker.PushHub.Tests;

/// <summary>A test client for /ws over a real socket: send JSON, receive messages with a generous timeout.</summary>
internal sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket = new();

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public WebSocket Socket => _socket;

    public static async Task<WsClient> ConnectAsync(Uri uri)
    {
        var client = new WsClient();
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        return client;
    }

    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message; null when the server closed the connection.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        return result.MessageType == WebSocketMessageType.Close ? null : JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
    }

    /// <summary>Skips messages until one matches (heartbeats and the like are not what a test waits for).</summary>
    public async Task<JsonElement> ReceiveUntilAsync(Func<JsonElement, bool> wanted)
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            if (wanted(message))
            {
                return message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
    }
}

internal static class JsonElementExtensions
{
    public static string Type(this JsonElement message) => message.GetProperty("type").GetString()!;

    public static bool Is(this JsonElement message, string type, string? symbol = null) =>
        message.Type() == type && (symbol is null || (message.TryGetProperty("symbol", out var s) && s.GetString() == symbol));
}
