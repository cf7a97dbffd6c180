namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>What the association tells the layer above (DCEP and the channel registry).</summary>
internal interface IAssociationHandler : IMessageSink
{
    void OnEstablished();

    void OnClosed(string reason);

    /// <summary>The peer reset its outgoing stream (RFC 6525 §5.2.2): its side of the channel is closed.</summary>
    void OnIncomingStreamReset(ushort streamId);

    /// <summary>The peer confirmed our outgoing reset: the stream id may be used again.</summary>
    void OnOutgoingStreamReset(ushort streamId);

    /// <summary>Bytes of a stream's messages that were acknowledged or abandoned (bufferedAmount goes down).</summary>
    void OnBytesReleased(ushort streamId, int bytes);
}
