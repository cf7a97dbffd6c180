namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>Receives whole user messages in delivery order (a stream's SSN order, or at once when unordered).</summary>
internal interface IMessageSink
{
    void Deliver(ushort streamId, uint ppid, ReadOnlySpan<byte> payload);
}
