using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.PushHub.WebRtc.DataChannels;

/// <summary>
/// Sans-IO data channels for one peer: an SCTP association (RFC 8261 over DTLS, passive side) with
/// DCEP (RFC 8832) on top. Feed it decrypted SCTP packets and the clock; take packets to encrypt
/// and events. Not thread-safe: the owner serialises every call.
/// </summary>
/// <remarks>
/// Choices worth knowing: a peer message larger than <see cref="DataChannelOptions.LocalMaxMessageBytes"/>
/// ends the association with ABORT; a malformed DCEP OPEN is ignored and counted (other channels
/// are untouched); an unordered, partially reliable message that does not fit one DATA chunk
/// (<see cref="MaxUnfragmentedMessageBytes"/>) is refused by <see cref="Send"/> with false, because
/// fragmented unordered unreliable messages have driven Chromium's receive window to zero.
/// </remarks>
public sealed partial class DataChannelConnection
{
    private readonly DataChannelOptions _options;
    private readonly SctpAssociation _association;
    private readonly ChannelRegistry _channels = new();
    private readonly Queue<DataChannelEvent> _events = new();

    public DataChannelConnection(DataChannelOptions options, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxPacketBytes is < 512 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxPacketBytes must be between 512 and 65535.");
        }

        _options = options;
        _association = new SctpAssociation(new Handler(this), Counters, options.Port, options.MaxPacketBytes, options.LocalMaxMessageBytes, now);
    }

    /// <summary>True once the association is up (COOKIE-ECHO answered).</summary>
    public bool IsEstablished => _association.State == AssociationState.Established;

    /// <summary>True after ABORT/SHUTDOWN either way, or a fatal timeout.</summary>
    public bool IsClosed => _association.State == AssociationState.Closed;

    /// <summary>When <see cref="HandleTimeout"/> must next be called; null when no timer runs.</summary>
    public TimeSpan? NextTimeout => _association.NextTimeout;

    /// <summary>Drops, retransmissions and abandons so far.</summary>
    public DataChannelCounters Counters { get; } = new();

    /// <summary>The association underneath, for tests that trace its congestion state.</summary>
    internal SctpAssociation Association => _association;

    /// <summary>The largest message that goes out as one DATA chunk in one packet.</summary>
    public int MaxUnfragmentedMessageBytes => _association.MaxDataPerChunk;

    /// <summary>One decrypted SCTP packet from the peer. Bad packets are dropped (and counted), never thrown.</summary>
    public void HandlePacket(ReadOnlySpan<byte> packet, TimeSpan now)
    {
        try
        {
            _association.HandlePacket(packet, now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Last-resort guard: hostile input must not take the session down; the counter exposes the defect.
            Counters.InternalErrors++;
        }
    }

    public void HandleTimeout(TimeSpan now) => _association.HandleTimeout(now);

    /// <summary>The next SCTP packet to encrypt and send; every one is at most <see cref="DataChannelOptions.MaxPacketBytes"/>.</summary>
    public bool TryPollTransmit(out byte[] packet) => _association.TryPollTransmit(out packet);

    public bool TryPollEvent(out DataChannelEvent dataChannelEvent) => _events.TryDequeue(out dataChannelEvent!);

    /// <summary>Active open for a client role (and tests): sends INIT. The hub itself stays passive.</summary>
    public void Connect(TimeSpan now) => _association.Connect(now);

    /// <summary>
    /// Opens a channel with DCEP (RFC 8832 §6) and returns its id (even on the DTLS client side, odd on
    /// the server side). Messages may be sent at once; they go ordered until the peer's ACK.
    /// </summary>
    /// <exception cref="InvalidOperationException">The association is not established or no id is free.</exception>
    public ushort OpenChannel(string label, bool ordered, int? maxRetransmits, TimeSpan now) =>
        OpenChannel(label, ordered, maxRetransmits, maxLifetimeMs: null, now);

    /// <summary>As the other overload, with optional timed reliability (RFC 3758; at most one of the two limits).</summary>
    public ushort OpenChannel(string label, bool ordered, int? maxRetransmits, int? maxLifetimeMs, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (maxRetransmits is not null && maxLifetimeMs is not null)
        {
            throw new ArgumentException("A channel has either maxRetransmits or maxLifetimeMs, not both.", nameof(maxLifetimeMs));
        }

        if (!IsEstablished || !_channels.TryAllocate(_options.IsDtlsClient, out var id))
        {
            throw new InvalidOperationException("No channel can be opened: the association is not established or no stream id is free.");
        }

        var channel = new DataChannel(id, label, string.Empty, ordered, maxRetransmits, maxLifetimeMs);
        _channels.TryAdd(channel);
        SendDcep(channel, DcepMessage.EncodeOpen(label, string.Empty, ordered, maxRetransmits, maxLifetimeMs), now);
        return id;
    }

    /// <summary>
    /// Declares a channel both sides agreed out of band (RTCDataChannel negotiated: true, id) — no
    /// DCEP. Usable for sending at once; ChannelOpened is raised when its first message arrives.
    /// False when the id is taken.
    /// </summary>
    public bool AddNegotiatedChannel(ushort id, string label, bool ordered, int? maxRetransmits, int? maxLifetimeMs)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (maxRetransmits is not null && maxLifetimeMs is not null)
        {
            throw new ArgumentException("A channel has either maxRetransmits or maxLifetimeMs, not both.", nameof(maxLifetimeMs));
        }

        return _channels.TryAdd(new DataChannel(id, label, string.Empty, ordered, maxRetransmits, maxLifetimeMs)
        {
            Acknowledged = true,
            Negotiated = true,
        });
    }

    /// <summary>
    /// Queues one message on an open channel with that channel's reliability. False when the
    /// channel is not open, the message is larger than the peer accepts, or the channel's buffer is full;
    /// also for an unordered unreliable message larger than <see cref="MaxUnfragmentedMessageBytes"/>.
    /// </summary>
    public bool Send(ushort channelId, ReadOnlySpan<byte> payload, bool binary, TimeSpan now) =>
        Send(channelId, payload, binary, maxQueueTime: null, now);

    /// <summary>
    /// As the other overload; on a channel that is not reliable, a message still waiting in the send
    /// queue after <paramref name="maxQueueTime"/> (congestion control held it back) is dropped unsent,
    /// so what goes out next is fresh. Reliable channels ignore it.
    /// </summary>
    public bool Send(ushort channelId, ReadOnlySpan<byte> payload, bool binary, TimeSpan? maxQueueTime, TimeSpan now)
    {
        if (!_channels.TryGet(channelId, out var channel) || channel.Closing || channel.AwaitingOutgoingReset || !IsEstablished
            || payload.Length > _options.RemoteMaxMessageBytes
            || channel.BufferedAmount + payload.Length > _options.MaxBufferedBytesPerChannel)
        {
            return false;
        }

        var ordered = channel.Ordered || !channel.Acknowledged;
        if (!channel.IsReliable && !ordered && payload.Length > _association.MaxDataPerChunk)
        {
            return false;
        }

        uint ppid;
        if (payload.IsEmpty)
        {
            // RFC 8831 §6.6: an empty message is one zero byte with the "empty" PPID.
            ppid = binary ? Ppid.BinaryEmpty : Ppid.StringEmpty;
            payload = [0];
        }
        else
        {
            ppid = binary ? Ppid.Binary : Ppid.String;
        }

        TimeSpan? lifetime = channel.MaxLifetimeMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
        if (!_association.SendMessage(channelId, ppid, payload, ordered, channel.MaxRetransmits, lifetime, maxQueueTime, now))
        {
            return false;
        }

        channel.BufferedAmount += payload.Length;
        return true;
    }

    /// <summary>Bytes queued or in flight on a channel (as RTCDataChannel.bufferedAmount).</summary>
    public long BufferedAmount(ushort channelId) => _channels.TryGet(channelId, out var channel) ? channel.BufferedAmount : 0;

    /// <summary>Closes one channel by resetting its stream (RFC 8831 §6.7).</summary>
    public void CloseChannel(ushort channelId, TimeSpan now)
    {
        if (_channels.TryGet(channelId, out var channel) && !channel.Closing)
        {
            channel.Closing = true;
            _association.ResetStream(channelId);
        }
    }

    /// <summary>Ends the association (ABORT with a reason): the session is being torn down.</summary>
    public void Abort(string reason, TimeSpan now) => _association.Abort(reason, now);

    /// <summary>DCEP messages are always reliable and ordered (RFC 8832 §6).</summary>
    private void SendDcep(DataChannel channel, ReadOnlySpan<byte> message, TimeSpan now)
    {
        if (_association.SendMessage(channel.Id, Ppid.Dcep, message, ordered: true, maxRetransmits: null, lifetime: null, now))
        {
            channel.BufferedAmount += message.Length;
        }
    }
}
