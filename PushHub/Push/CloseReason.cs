namespace Ticker.PushHub.Push;

/// <summary>
/// A connection's end as the push core decides it: a <see cref="CloseKind"/> and the text for the
/// client. Each <see cref="ISubscriberSink"/> names it in its transport (a WebSocket close code, a
/// gRPC status, the data channel's fall-back to its WebSocket).
/// </summary>
internal sealed record CloseReason(CloseKind Kind, string Text)
{
    public static CloseReason Bye { get; } = new(CloseKind.Normal, "bye");

    public static CloseReason TooSlow { get; } = new(CloseKind.TooSlow, "too slow");

    public static CloseReason Restarting { get; } = new(CloseKind.Restarting, "service restart");
}
