namespace Ticker.PushHub.WebRtc.DataChannels;

/// <summary>What one connection dropped, retransmitted and abandoned; read it for metrics and tests.</summary>
public sealed class DataChannelCounters
{
    public long PacketsReceived { get; internal set; }

    public long PacketsSent { get; internal set; }

    /// <summary>Truncated packets, lying lengths, no chunks.</summary>
    public long MalformedPackets { get; internal set; }

    public long BadChecksums { get; internal set; }

    /// <summary>Wrong verification tag, wrong port, or nothing to attach the packet to.</summary>
    public long BadVerificationTags { get; internal set; }

    public long MalformedChunks { get; internal set; }

    public long UnknownChunks { get; internal set; }

    public long CookiesRejected { get; internal set; }

    public long DuplicateTsns { get; internal set; }

    /// <summary>DATA the receive buffer had no room for (the peer retransmits it).</summary>
    public long DataDroppedBufferFull { get; internal set; }

    /// <summary>Messages on streams without an open channel, with an unknown or deprecated PPID, or a bad DCEP message.</summary>
    public long MessagesDropped { get; internal set; }

    public long Retransmissions { get; internal set; }

    public long FastRetransmits { get; internal set; }

    public long RetransmissionTimeouts { get; internal set; }

    public long ChunksAbandoned { get; internal set; }

    public long ForwardTsnsSent { get; internal set; }

    /// <summary>DATA chunks sent with the RFC 7053 I bit: the packet filled the congestion window.</summary>
    public long ImmediateSacksRequested { get; internal set; }

    public long ForwardTsnsReceived { get; internal set; }

    /// <summary>Defects caught by the last-resort guard in HandlePacket; should stay 0.</summary>
    public long InternalErrors { get; internal set; }
}
