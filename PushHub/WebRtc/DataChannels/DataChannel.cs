namespace Ticker.PushHub.WebRtc.DataChannels;

/// <summary>One channel's settings and lifecycle, keyed by its SCTP stream id.</summary>
internal sealed class DataChannel
{
    public DataChannel(ushort id, string label, string protocol, bool ordered, int? maxRetransmits, int? maxLifetimeMs)
    {
        Id = id;
        Label = label;
        Protocol = protocol;
        Ordered = ordered;
        MaxRetransmits = maxRetransmits;
        MaxLifetimeMs = maxLifetimeMs;
    }

    public ushort Id { get; }

    public string Label { get; }

    public string Protocol { get; }

    public bool Ordered { get; }

    public int? MaxRetransmits { get; }

    public int? MaxLifetimeMs { get; }

    public bool IsReliable => MaxRetransmits is null && MaxLifetimeMs is null;

    /// <summary>RFC 8832 §6: the opener sends ordered until the peer's ACK arrives.</summary>
    public bool Acknowledged { get; set; }

    /// <summary>Agreed out of band (negotiated: true); ChannelOpened waits for its first message.</summary>
    public bool Negotiated { get; init; }

    public bool OpenedRaised { get; set; }

    public bool Closing { get; set; }

    public bool ClosedRaised { get; set; }

    public bool OutgoingResetDone { get; set; }

    /// <summary>
    /// The peer reopened this id while our reset of the old channel's stream was still unanswered:
    /// our SSNs restart only when it is, so the ACK and our sends wait until then.
    /// </summary>
    public bool AwaitingOutgoingReset { get; set; }

    public long BufferedAmount { get; set; }
}
