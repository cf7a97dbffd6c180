namespace Ticker.PushHub.Operations;

/// <summary>
/// The one place a stopping hub announces that it drains: readiness turns false, new connections
/// are refused, and every open session (WebSocket, gRPC stream, data channel) ends itself politely.
/// </summary>
public interface IDrainSignal
{
    bool IsDraining { get; }

    /// <summary>Cancelled when draining starts.</summary>
    CancellationToken Draining { get; }
}
