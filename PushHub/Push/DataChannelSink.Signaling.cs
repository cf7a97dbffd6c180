using Ticker.PushHub.WebRtc;
using Ticker.PushHub.WebRtc.Sdp;

namespace Ticker.PushHub.Push;

/// <summary>The peer session behind the channel: opened by an <c>rtc-offer</c> on the WebSocket, its state told back there.</summary>
internal sealed partial class DataChannelSink : IPeerSessionOwner
{
    private PeerSession? _peer;
    private PeerSession? _channel;

    void IPeerSessionOwner.OnChannelOpen(PeerSession session, string label)
    {
        if (Volatile.Read(ref _peer) == session)
        {
            Volatile.Write(ref _channel, session);
            notify(QuoteJson.RtcState("rtc-open", label, null));
        }
    }

    void IPeerSessionOwner.OnChannelClosed(PeerSession session)
    {
        if (Interlocked.CompareExchange(ref _channel, null, session) == session)
        {
            notify(QuoteJson.RtcState("rtc-closed", null, "the data channel was closed; updates continue on this WebSocket"));
        }
    }

    void IPeerSessionOwner.OnSessionEnded(PeerSession session, string reason)
    {
        var hadChannel = Interlocked.CompareExchange(ref _channel, null, session) == session;
        var current = Interlocked.CompareExchange(ref _peer, null, session) == session;
        if (hadChannel || current)
        {
            notify(QuoteJson.RtcState("rtc-closed", null, $"{reason}; updates continue on this WebSocket"));
        }
    }

    /// <summary><c>rtc-offer</c>: a new session replaces this connection's previous one. Returns the reply (answer or error).</summary>
    public byte[] Answer(ClientCommand.RtcOffer offer)
    {
        try
        {
            var parsed = SdpOffer.Parse(offer.Sdp);
            // The new session first: an offer that fails leaves the working one alone (unless it is what fills the hub).
            (PeerSession Session, string Answer) opened;
            try
            {
                opened = rtc.Open(parsed, this, remoteAddress);
            }
            catch (WebRtcCapacityException) when (Volatile.Read(ref _peer) is { } previous)
            {
                Interlocked.CompareExchange(ref _peer, null, previous)?.End("replaced by a new offer");
                opened = rtc.Open(parsed, this, remoteAddress);
            }

            var (session, answer) = opened;
            Interlocked.Exchange(ref _peer, session)?.End("replaced by a new offer");
            return QuoteJson.RtcAnswer(answer, offer.Id);
        }
        catch (SdpException e)
        {
            return QuoteJson.Error("bad-offer", e.Message, offer.Id);
        }
        catch (ArgumentException e)
        {
            // A value the parser let through but a lower layer refused: still this offer's fault, not the connection's.
            return QuoteJson.Error("bad-offer", e.Message, offer.Id);
        }
        catch (WebRtcCapacityException e)
        {
            return QuoteJson.Error("unavailable", e.Message, offer.Id);
        }
    }

    /// <summary>Ends the peer session, if any (its signaling WebSocket closed).</summary>
    public void End(string reason) => Interlocked.Exchange(ref _peer, null)?.End(reason);
}
