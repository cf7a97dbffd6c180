namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>One user message queued for sending, with the reliability its channel asked for.</summary>
internal sealed class OutboundMessage
{
    public OutboundMessage(ushort streamId, uint ppid, byte[] payload, bool ordered, int? maxRetransmits, TimeSpan? expiry)
    {
        StreamId = streamId;
        Ppid = ppid;
        Payload = payload;
        Ordered = ordered;
        MaxRetransmits = maxRetransmits;
        Expiry = expiry;
    }

    public ushort StreamId { get; }

    public uint Ppid { get; }

    public byte[] Payload { get; }

    public bool Ordered { get; }

    /// <summary>RFC 3758 partial reliability: retransmissions allowed; null is fully reliable.</summary>
    public int? MaxRetransmits { get; }

    /// <summary>RFC 3758 timed reliability: abandon once this time has passed.</summary>
    public TimeSpan? Expiry { get; }

    /// <summary>
    /// Local send-queue policy for a partially reliable message: if its first fragment has not gone
    /// out by then, it is dropped unsent (no TSN, so no FORWARD-TSN); null waits as long as it takes.
    /// </summary>
    public TimeSpan? SendBy { get; init; }

    /// <summary>Assigned when the first fragment gets its TSN, so a message abandoned unsent uses no SSN.</summary>
    public ushort? Ssn { get; set; }

    public bool Abandoned { get; set; }

    public bool IsPartiallyReliable => MaxRetransmits is not null || Expiry is not null;
}

/// <summary>One DATA chunk's worth of a message: a slice of its payload and its transmission state.</summary>
internal sealed class OutboundChunk
{
    public OutboundChunk(OutboundMessage message, int offset, int length, byte flags)
    {
        Message = message;
        Offset = offset;
        Length = length;
        Flags = flags;
    }

    public OutboundMessage Message { get; }

    public int Offset { get; }

    public int Length { get; }

    public byte Flags { get; }

    public uint Tsn { get; set; }

    public int SendCount { get; set; }

    public TimeSpan SentAt { get; set; }

    /// <summary>Acknowledged by the cumulative TSN or a gap block; no longer counts in flight.</summary>
    public bool Acked { get; set; }

    public bool Abandoned { get; set; }

    public bool InFlight { get; set; }

    public bool MarkedForRetransmit { get; set; }

    public int MissIndications { get; set; }

    public bool FastRetransmitted { get; set; }

    public ReadOnlySpan<byte> Data => Message.Payload.AsSpan(Offset, Length);

    /// <summary>
    /// RFC 3758 §3.5 with the N vs N−1 subtlety: SendCount counts transmissions, so retransmissions
    /// done are SendCount − 1; a further one is allowed only while that is below MaxRetransmits.
    /// </summary>
    public bool ShouldAbandon(TimeSpan now) =>
        (Message.MaxRetransmits is { } max && SendCount - 1 >= max) || (Message.Expiry is { } expiry && now >= expiry);
}
