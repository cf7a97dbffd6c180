namespace Ticker.PushHub.WebRtc.DataChannels;

public abstract record DataChannelEvent
{
    private DataChannelEvent()
    {
    }

    /// <summary>The association is up.</summary>
    public sealed record Connected : DataChannelEvent;

    /// <summary>The peer opened a channel (DCEP OPEN acknowledged) or a negotiated one saw traffic.</summary>
    public sealed record ChannelOpened(ushort Id, string Label, string Protocol, bool Ordered, int? MaxRetransmits, int? MaxLifetimeMs) : DataChannelEvent;

    public sealed record MessageReceived(ushort Id, bool Binary, byte[] Payload) : DataChannelEvent;

    public sealed record ChannelClosed(ushort Id) : DataChannelEvent;

    /// <summary>The association ended (ABORT, SHUTDOWN, too many retransmissions); no further events.</summary>
    public sealed record Closed(string Reason) : DataChannelEvent;
}
