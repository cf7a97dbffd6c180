using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>One message waiting for a subscriber, before the transport encodes it (JSON or protobuf).</summary>
internal abstract record Outgoing
{
    /// <summary>The full quote: on subscribe and after a reset.</summary>
    public sealed record Snapshot(Quote Quote) : Outgoing
    {
        /// <summary>The epoch <see cref="Quote"/>'s seq belongs to (docs/protocol.md#positions-and-epochs).</summary>
        public string Epoch { get; init; } = "";
    }

    /// <summary>Changed fields of <see cref="Latest"/>, <see cref="Merged"/> updates folded together.</summary>
    public sealed record Delta(OutboundUpdate Latest, QuoteFields Changed, int Merged) : Outgoing
    {
        /// <summary>Whether the shared, encoded-once bytes of the update can go out as they are.</summary>
        public bool IsShared => Merged == Latest.Update.Merged && Changed == Latest.Update.Changed;
    }

    /// <summary>A resume position that cannot be served; a snapshot follows.</summary>
    public sealed record Reset(Quote Quote, string Reason) : Outgoing
    {
        public string Epoch { get; init; } = "";
    }

    /// <summary>A transport-specific message already encoded (acknowledgements, errors, pongs).</summary>
    public sealed record Encoded(byte[] Bytes) : Outgoing;

    /// <summary>End the connection, after what was queued before; the transport names the reason.</summary>
    public sealed record Close(CloseReason Reason) : Outgoing;
}
