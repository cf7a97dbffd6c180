using Ticker.PushHub.WebRtc;
using Ticker.PushHub.WebRtc.Sdp;

namespace Ticker.PushHub.Push;

/// <summary>The WebSocket as signaling channel, and the data channel as the path for updates while it is open.</summary>
internal sealed partial class WebSocketSession
{
    // Symbols whose last update went over the data channel: a lost full quote leaves the client
    // behind, so the WebSocket's next delta of such a symbol carries every field. Writer-only state.
    private readonly HashSet<string> _sentOverChannel = new(StringComparer.Ordinal);
    private PeerSession? _peer;
    private PeerSession? _channel;

    void IPeerSessionOwner.OnChannelOpen(PeerSession session, string label)
    {
        if (Volatile.Read(ref _peer) == session)
        {
            Volatile.Write(ref _channel, session);
            Reply(QuoteJson.RtcState("rtc-open", label, null));
        }
    }

    void IPeerSessionOwner.OnChannelClosed(PeerSession session)
    {
        if (Interlocked.CompareExchange(ref _channel, null, session) == session)
        {
            Reply(QuoteJson.RtcState("rtc-closed", null, "the data channel was closed; updates continue on this WebSocket"));
        }
    }

    void IPeerSessionOwner.OnSessionEnded(PeerSession session, string reason)
    {
        var hadChannel = Interlocked.CompareExchange(ref _channel, null, session) == session;
        var current = Interlocked.CompareExchange(ref _peer, null, session) == session;
        if (hadChannel || current)
        {
            Reply(QuoteJson.RtcState("rtc-closed", null, $"{reason}; updates continue on this WebSocket"));
        }
    }

    /// <summary><c>rtc-offer</c>: a new session replaces this connection's previous one.</summary>
    private void Answer(ClientCommand.RtcOffer offer)
    {
        if (rtc is null)
        {
            Reply(QuoteJson.Error("not-supported", "WebRTC data channels are disabled on this hub (WebRtc:Enabled is false)", offer.Id));
            return;
        }

        try
        {
            var parsed = SdpOffer.Parse(offer.Sdp);
            Interlocked.Exchange(ref _peer, null)?.End("replaced by a new offer");
            var (session, answer) = rtc.Open(parsed, this);
            Volatile.Write(ref _peer, session);
            Reply(QuoteJson.RtcAnswer(answer, offer.Id));
        }
        catch (SdpException e)
        {
            Reply(QuoteJson.Error("bad-offer", e.Message, offer.Id));
        }
        catch (ArgumentException e)
        {
            // A value the parser let through but a lower layer refused: still this offer's fault, not the connection's.
            Reply(QuoteJson.Error("bad-offer", e.Message, offer.Id));
        }
        catch (WebRtcCapacityException e)
        {
            Reply(QuoteJson.Error("unavailable", e.Message, offer.Id));
        }
    }

    /// <summary>Sends an update as the symbol's full quote over the open data channel; false to use the WebSocket.</summary>
    private bool TrySendOverChannel(Outgoing.Delta delta)
    {
        if (Volatile.Read(ref _channel) is not { } channel)
        {
            return false;
        }

        // Either way the client may now hold an older quote than the last delta assumed: see Encode.
        _sentOverChannel.Add(delta.Latest.Symbol);
        if (channel.TrySend(QuoteJson.FullQuote(delta.Latest.Update.Quote)))
        {
            rtc?.Metrics.MessagesSent.Add(1);
            return true;
        }

        // The channel's buffer is full (or it just closed): this update goes reliably instead.
        rtc?.Metrics.Fallbacks.Add(1);
        return false;
    }
}
