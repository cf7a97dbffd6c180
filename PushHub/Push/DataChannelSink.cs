using Ticker.PushHub.WebRtc;
using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>
/// The data channel as a <see cref="ISubscriberSink"/> in front of its signaling WebSocket's sink:
/// while the channel is open, updates go over it as full quotes (a lost one is superseded by the
/// next); everything else, and every update the channel cannot take, goes on the WebSocket. The
/// repeat/settle policy lives here: a quote sent on the channel is repeated there once after
/// <see cref="RepeatDelay"/> and then sent reliably after <see cref="SettleDelay"/> if its symbol
/// stayed quiet, so however many datagrams are lost a price is never wrong for longer.
/// </summary>
internal sealed partial class DataChannelSink(ISubscriberSink reliable, WebRtcServer rtc, Action<byte[]> notify, System.Net.IPAddress? remoteAddress, TimeProvider clock)
    : ISubscriberSink
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
    // of such a symbol is its full quote too (ForWebSocket). Pump-only state.
    private readonly Dictionary<string, Unsettled> _unsettled = new(StringComparer.Ordinal);

    public ValueTask<bool> WriteAsync(Outgoing message, CancellationToken cancellationToken) =>
        message is Outgoing.Delta delta && TrySendOverChannel(delta) ? ValueTask.FromResult(true) : reliable.WriteAsync(ForWebSocket(message), cancellationToken);

    public ValueTask<bool> WriteManyAsync(IReadOnlyList<Outgoing> messages, CancellationToken cancellationToken)
    {
        var rest = new List<Outgoing>(messages.Count);
        foreach (var message in messages)
        {
            if (message is not Outgoing.Delta delta || !TrySendOverChannel(delta))
            {
                rest.Add(ForWebSocket(message));
            }
        }

        return rest.Count == 0 ? ValueTask.FromResult(true) : reliable.WriteManyAsync(rest, cancellationToken);
    }

    public ValueTask<bool> WriteHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => reliable.WriteHeartbeatAsync(now, cancellationToken);

    /// <summary>The connection ends with its WebSocket; the peer session is ended by the signaling side.</summary>
    public Task CloseAsync(CloseReason reason) => reliable.CloseAsync(reason);

    /// <summary>
    /// Repeats due quotes on the channel, and returns those to send on the WebSocket now: repeated ones
    /// whose symbol stayed quiet for <see cref="SettleDelay"/>, or all of them once no channel is open
    /// (it may have taken the last ones with it).
    /// </summary>
    public IReadOnlyList<Outgoing>? TakeDue(DateTimeOffset now)
    {
        if (_unsettled.Count == 0)
        {
            return null;
        }

        var channel = Volatile.Read(ref _channel);
        List<Outgoing>? settled = null;
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

            (settled ??= []).Add(new Outgoing.Encoded(json));
            _unsettled.Remove(symbol);
        }

        foreach (var symbol in repeated ?? [])
        {
            _unsettled[symbol] = _unsettled[symbol] with { Due = now + SettleDelay, Repeated = true };
            rtc.Metrics.QuotesRepeated.Add(1);
        }

        if (settled is not null)
        {
            rtc.Metrics.QuotesSettled.Add(settled.Count);
        }

        return settled;
    }

    /// <summary>When the next quiet symbol's quote is due again; null when none waits.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var entry in _unsettled.Values)
            {
                next = next is { } n && n < entry.Due ? n : entry.Due;
            }

            return next;
        }
    }

    /// <summary>After quotes went over the data channel (any may be lost), the WebSocket's next update of the symbol is its full quote.</summary>
    private Outgoing ForWebSocket(Outgoing message) =>
        message is Outgoing.Delta delta && _unsettled.Remove(delta.Latest.Symbol) ? new Outgoing.Encoded(QuoteJson.FullQuote(delta.Latest.Update.Quote)) : message;

    /// <summary>Sends an update as the symbol's full quote over the open data channel; false to use the WebSocket.</summary>
    private bool TrySendOverChannel(Outgoing.Delta delta)
    {
        if (Volatile.Read(ref _channel) is not { } channel)
        {
            return false;
        }

        // Either way the client may now hold an older quote than the last delta assumed: see ForWebSocket.
        _unsettled[delta.Latest.Symbol] = new Unsettled(delta.Latest.Update.Quote, clock.GetUtcNow() + RepeatDelay, Repeated: false);
        if (channel.TrySend(QuoteJson.FullQuote(delta.Latest.Update.Quote)))
        {
            rtc.Metrics.MessagesSent.Add(1);
            return true;
        }

        // The channel's buffer is full (or it just closed): this update goes reliably instead.
        rtc.Metrics.Fallbacks.Add(1);
        return false;
    }

    private readonly record struct Unsettled(Quote Quote, DateTimeOffset Due, bool Repeated);
}
