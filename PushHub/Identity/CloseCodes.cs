using System.Net.WebSockets;

namespace Ticker.PushHub.Identity;

/// <summary>WebSocket close codes of identity (docs/protocol.md); 4000–4999 are the application's own.</summary>
internal static class CloseCodes
{
    /// <summary>No valid <c>auth</c> within Auth:Timeout, an invalid token, or another message before auth.</summary>
    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4001;

    /// <summary>The token expired and no <c>refresh</c> replaced it.</summary>
    public const WebSocketCloseStatus TokenExpired = (WebSocketCloseStatus)4002;
}
