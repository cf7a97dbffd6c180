using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>The client side of an allocation: where relayed data and responses go.</summary>
internal abstract class ClientConnection
{
    public abstract TransportKind Kind { get; }

    public abstract StunTransportAddress Remote { get; }

    /// <summary>Stream transports pad ChannelData to 4 bytes (RFC 8656 §12.5).</summary>
    public bool IsStream => Kind != TransportKind.Udp;

    /// <summary>Sends one message; drops it when the client cannot keep up.</summary>
    public abstract void Send(ReadOnlySpan<byte> message);

    /// <summary>Called when the allocation is deleted.</summary>
    public abstract void Detach(Allocation allocation);
}
