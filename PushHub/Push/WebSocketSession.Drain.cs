namespace Ticker.PushHub.Push;

/// <summary>The goodbye of a draining hub (docs/protocol.md, "Hub restarts").</summary>
internal sealed partial class WebSocketSession
{
    private static readonly byte[] ReconnectJson = """{"type":"reconnect","reason":"service restart"}"""u8.ToArray();

    /// <summary>
    /// Tells the client to go elsewhere: a <c>reconnect</c> message, then close 1012, both behind what is
    /// already queued, so nothing the client was owed is dropped. The data channel ends with the session.
    /// </summary>
    public void Drain()
    {
        Reply(ReconnectJson);
        _queue.Enqueue(new Outgoing.Close(CloseReason.Restarting));
    }
}
