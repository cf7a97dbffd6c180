namespace Ticker.PushHub.Push;

/// <summary>
/// One subscriber connection as the <see cref="DeliveryPump"/> sees it: where its messages go, in its
/// transport's encoding. The pump owns everything else — draining the <see cref="SubscriberQueue"/>,
/// the stall timeout, heartbeats, the over-budget cut-off and the metrics — so a new transport (SSE,
/// say: each message a <c>data:</c> event, the heartbeat a comment line, close the end of the
/// response) implements only these members and gets the same conflation, limits and drain.
/// </summary>
/// <remarks>
/// Writes return false when the peer is gone (the pump then stops without a close); they may stay
/// pending, and the pump gives up on a drain not accepted within Hub:StallTimeout by closing the sink
/// with <see cref="CloseKind.TooSlow"/> while the write may still be pending: from the close on, a
/// sink sends nothing more of that write. Only the pump calls a sink.
/// </remarks>
internal interface ISubscriberSink
{
    /// <summary>Encodes and sends one message.</summary>
    ValueTask<bool> WriteAsync(Outgoing message, CancellationToken cancellationToken);

    /// <summary>Encodes and sends a drain of several messages, in order (a transport may frame them together).</summary>
    async ValueTask<bool> WriteManyAsync(IReadOnlyList<Outgoing> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            if (!await WriteAsync(message, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Shows an idle connection is alive (and exposes a dead one).</summary>
    ValueTask<bool> WriteHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends the connection, <paramref name="reason"/> named in the transport's terms.</summary>
    Task CloseAsync(CloseReason reason);

    /// <summary>Messages of the sink's own that are due at <paramref name="now"/> (the data channel's settled quotes); the pump writes them.</summary>
    IReadOnlyList<Outgoing>? TakeDue(DateTimeOffset now) => null;

    /// <summary>When the sink next has something of its own due; the pump wakes then.</summary>
    DateTimeOffset? NextDue => null;
}
