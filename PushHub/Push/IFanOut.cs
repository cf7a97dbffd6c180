namespace Ticker.PushHub.Push;

/// <summary>
/// Which subscriber queues receive which symbols: what <see cref="SubscriptionManager"/> registers
/// with before it sets a subscriber's baseline. <see cref="FanOut"/> offers each update of an
/// <see cref="IQuoteFeed"/> to them; an edge fed by a broker can register its own here (say, to
/// subscribe to a broker subject only while some queue wants the symbol).
/// </summary>
internal interface IFanOut
{
    void Add(SubscriberQueue queue, IEnumerable<string> symbols);

    /// <summary>Every symbol, as it comes (the queue itself admits those its caller is entitled to).</summary>
    void AddWildcard(SubscriberQueue queue);

    /// <summary>Stops <paramref name="symbols"/> ("*" for the wildcard) reaching the queue.</summary>
    void Remove(SubscriberQueue queue, IEnumerable<string> symbols);

    /// <summary>Forgets a subscriber entirely (its connection ended).</summary>
    void RemoveEverywhere(SubscriberQueue queue);
}
