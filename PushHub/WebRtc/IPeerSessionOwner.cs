namespace Ticker.PushHub.WebRtc;

/// <summary>
/// The signaling side of a <see cref="PeerSession"/> (the subscriber's WebSocket): told when the
/// data channel can carry its updates and when it no longer can. Called on WebRTC threads.
/// </summary>
public interface IPeerSessionOwner
{
    void OnChannelOpen(PeerSession session, string label);

    void OnChannelClosed(PeerSession session);

    void OnSessionEnded(PeerSession session, string reason);
}
