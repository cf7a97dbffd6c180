using Ticker.Ingest.Pipeline;
using Ticker.PushHub.WebRtc;
using Ticker.PushHub.WebRtc.Sdp;

namespace Ticker.PushHub.Push;

/// <summary>The WebSocket as signaling channel, and the data channel as the path for updates while it is open.</summary>
internal sealed partial class WebSocketSession
{
    /// <summary>
    /// A symbol quiet this long after its last quote went over the data channel gets that quote once
    /// more on the channel: a second chance, as fast as the first, for a datagram that was lost.
    /// </summary>
    internal static readonly TimeSpan RepeatDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// ... and this long after it, once more, reliably, on the WebSocket: however many datagrams are
    /// lost, a price is never wrong for longer (the client drops a copy of what it already holds).
    /// </summary>
    internal static readonly TimeSpan SettleDelay = TimeSpan.FromSeconds(1);

    // Symbols whose last update went over the data channel: that quote, when it is next due, and
    // whether the channel repeat is done. The client may have lost it, so the WebSocket's next update
    // of such a symbol is its full quote too (Encode). Writer-only state.
    private readonly Dictionary<string, Unsettled> _unsettled = new(StringComparer.Ordinal);
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
        _unsettled[delta.Latest.Symbol] = new Unsettled(delta.Latest.Update.Quote, clock.GetUtcNow() + RepeatDelay, Repeated: false);
        if (channel.TrySend(QuoteJson.FullQuote(delta.Latest.Update.Quote)))
        {
            rtc?.Metrics.MessagesSent.Add(1);
            return true;
        }

        // The channel's buffer is full (or it just closed): this update goes reliably instead.
        rtc?.Metrics.Fallbacks.Add(1);
        return false;
    }

    /// <summary>
    /// Repeats due quotes on the channel, and returns those to send on the WebSocket now: repeated ones
    /// whose symbol stayed quiet for <see cref="SettleDelay"/>, or all of them once no channel is open
    /// (it may have taken the last ones with it).
    /// </summary>
    private List<byte[]>? TakeSettled(DateTimeOffset now)
    {
        if (_unsettled.Count == 0)
        {
            return null;
        }

        var channel = Volatile.Read(ref _channel);
        List<byte[]>? settled = null;
        List<string>? repeated = null;
        foreach (var (symbol, entry) in _unsettled)
        {
            if (channel is not null && entry.Due > now)
            {
                continue;
            }

            var json = QuoteJson.FullQuote(entry.Quote);
            if (channel is not null && !entry.Repeated && channel.TrySend(json))
            {
                (repeated ??= []).Add(symbol);
                continue;
            }

            (settled ??= []).Add(json);
            _unsettled.Remove(symbol);
        }

        foreach (var symbol in repeated ?? [])
        {
            _unsettled[symbol] = _unsettled[symbol] with { Due = now + SettleDelay, Repeated = true };
            rtc?.Metrics.QuotesRepeated.Add(1);
        }

        if (settled is not null)
        {
            rtc?.Metrics.QuotesSettled.Add(settled.Count);
        }

        return settled;
    }

    /// <summary>When the next quiet symbol's quote is due again; null when none waits.</summary>
    private DateTimeOffset? NextSettle()
    {
        DateTimeOffset? next = null;
        foreach (var entry in _unsettled.Values)
        {
            next = next is { } n && n < entry.Due ? n : entry.Due;
        }

        return next;
    }

    private readonly record struct Unsettled(Quote Quote, DateTimeOffset Due, bool Repeated);
}
