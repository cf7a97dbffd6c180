namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// The sending half: messages are cut into chunks when queued; TSNs are assigned when a chunk first
/// goes out; packets are built on demand by <see cref="TryPollTransmit"/> — control chunks and SACK
/// first, then retransmissions, then new DATA as cwnd and the peer's rwnd allow (RFC 4960 §6.1).
/// </summary>
internal sealed partial class SctpAssociation
{
    private readonly SendQueue _unsent = new();
    private readonly List<OutboundChunk> _outstanding = [];
    private readonly Dictionary<ushort, ushort> _nextSsn = [];
    private readonly RtoEstimator _rto = new();
    private CongestionControl _congestion = new(1200, 0);
    private uint _nextTsn;
    private uint _cumAckPoint;
    private uint _peerRwnd;
    private ushort _peerInboundStreams;
    private int _flightBytes;
    private int _markedForRetransmit;
    private bool _fastRetransmitBypass;
    private int _lastDataChunkStart = -1;

    public int FlightBytes => _flightBytes;

    public int CongestionWindow => _congestion.Cwnd;

    /// <summary>Chunks queued and not yet given a TSN.</summary>
    public int QueuedChunks => _unsent.Count;

    /// <summary>
    /// Queues a message. Unordered partially reliable messages should fit one chunk (callers check);
    /// others are fragmented to <see cref="MaxDataPerChunk"/>.
    /// </summary>
    public bool SendMessage(ushort streamId, uint ppid, ReadOnlySpan<byte> payload, bool ordered, int? maxRetransmits, TimeSpan? lifetime, TimeSpan now) =>
        SendMessage(streamId, ppid, payload, ordered, maxRetransmits, lifetime, maxQueueTime: null, now);

    /// <summary>
    /// As the other overload; a partially reliable message still unsent after <paramref name="maxQueueTime"/>
    /// is dropped from the queue (reliable messages ignore it): fresh messages then never wait behind
    /// stale ones that a full congestion window held back.
    /// </summary>
    public bool SendMessage(ushort streamId, uint ppid, ReadOnlySpan<byte> payload, bool ordered, int? maxRetransmits, TimeSpan? lifetime, TimeSpan? maxQueueTime, TimeSpan now)
    {
        if (now > _now)
        {
            _now = now; // calls from inside packet handling pass no clock of their own
        }

        if (State != AssociationState.Established || payload.IsEmpty || streamId >= _peerInboundStreams)
        {
            return false; // §6.4: a stream the peer did not allow
        }

        var partiallyReliable = maxRetransmits is not null || lifetime is not null;
        var message = new OutboundMessage(streamId, ppid, payload.ToArray(), ordered, maxRetransmits, _now + lifetime)
        {
            SendBy = partiallyReliable ? _now + maxQueueTime : null,
        };
        var unordered = ordered ? (byte)0 : DataChunk.FlagUnordered;
        var max = MaxDataPerChunk;
        for (var offset = 0; offset < payload.Length; offset += max)
        {
            var length = Math.Min(max, payload.Length - offset);
            var flags = unordered;
            if (offset == 0)
            {
                flags |= DataChunk.FlagBeginning;
            }

            if (offset + length == payload.Length)
            {
                flags |= DataChunk.FlagEnd;
            }

            _unsent.Enqueue(new OutboundChunk(message, offset, length, flags));
        }

        return true;
    }

    public bool TryPollTransmit(out byte[] packet)
    {
        if (_readyPackets.TryDequeue(out packet!))
        {
            _counters.PacketsSent++;
            return true;
        }

        packet = [];
        if (State != AssociationState.Established)
        {
            return false;
        }

        _writer.Begin(_port, _peerPort, _peerTag);
        var hasData = _markedForRetransmit > 0 || (_unsent.Count > 0 && CanSendNew());
        var sackWanted = _sackNow || (_sackDeadline is not null && (hasData || _control.Count > 0));

        while (_control.TryPeek(out var control))
        {
            var length = SctpPacketWriter.PaddedChunkLength(control.Value.Length);
            if (length > MaxPacketBytes - SctpPacketReader.CommonHeaderLength)
            {
                _control.Dequeue(); // e.g. a HEARTBEAT-ACK echoing more than our packet holds: never sendable
                _counters.MalformedChunks++;
                continue;
            }

            if (length > _writer.Remaining)
            {
                break;
            }

            _control.Dequeue();
            _writer.TryAppend(control.Type, control.Flags, control.Value);
        }

        // Control chunks (COOKIE-ACK must lead, §5.1) go first, then SACK, then DATA (§6.10).
        if (sackWanted && _writer.Remaining >= 64)
        {
            WriteSack();
        }

        WriteForwardTsnIfDue();
        WriteReConfigIfDue();
        _lastDataChunkStart = -1;
        WriteRetransmissions();
        WriteNewData();
        RequestImmediateSackIfWindowFull();
        if (_writer.ChunkCount == 0)
        {
            return false;
        }

        packet = _writer.ToArray();
        _counters.PacketsSent++;
        return true;
    }

    /// <summary>
    /// RFC 7053 §4.1: when this packet fills the congestion window, nothing more goes out until a SACK
    /// comes back, so ask for that SACK at once (I bit) rather than after the peer's delayed-SACK
    /// timer (up to 200 ms in browsers): otherwise a window full of chunks — lost ones among them,
    /// which a maxRetransmits-0 channel will only abandon — holds every fresh message for that long.
    /// </summary>
    private void RequestImmediateSackIfWindowFull()
    {
        if (_lastDataChunkStart >= 0 && _flightBytes >= _congestion.Cwnd)
        {
            _writer.AddFlags(_lastDataChunkStart, DataChunk.FlagImmediate);
            _counters.ImmediateSacksRequested++;
        }
    }

    private bool CanSendNew() => _flightBytes < _congestion.Cwnd && (_flightBytes == 0 || _peerRwnd > 0);

    private void WriteRetransmissions()
    {
        if (_markedForRetransmit == 0)
        {
            return;
        }

        foreach (var chunk in _outstanding)
        {
            if (!chunk.MarkedForRetransmit)
            {
                continue;
            }

            var fits = _fastRetransmitBypass || _flightBytes == 0 || _flightBytes + chunk.Length <= _congestion.Cwnd;
            if (!fits || SctpPacketWriter.PaddedChunkLength(DataChunk.HeaderLength + chunk.Length) > _writer.Remaining)
            {
                break;
            }

            chunk.MarkedForRetransmit = false;
            _markedForRetransmit--;
            _counters.Retransmissions++;
            WriteDataChunk(chunk);
        }

        _fastRetransmitBypass = false;
    }

    private void WriteNewData()
    {
        while (_unsent.TryPeek(out var chunk))
        {
            var message = chunk.Message;
            if (message.Abandoned || (chunk.Offset == 0 && (_now >= message.Expiry || _now >= message.SendBy)))
            {
                // RFC 3758: a timed-out message never sent needs no TSN and no FORWARD-TSN.
                _unsent.Dequeue();
                message.Abandoned = true;
                _handler.OnBytesReleased(message.StreamId, chunk.Length);
                continue;
            }

            if (!CanSendNew() || SctpPacketWriter.PaddedChunkLength(DataChunk.HeaderLength + chunk.Length) > _writer.Remaining)
            {
                return;
            }

            _unsent.Dequeue();
            chunk.Tsn = _nextTsn++;
            if (message.Ordered && message.Ssn is null)
            {
                _nextSsn.TryGetValue(message.StreamId, out var ssn);
                message.Ssn = ssn;
                _nextSsn[message.StreamId] = (ushort)(ssn + 1);
            }

            _outstanding.Add(chunk);
            WriteDataChunk(chunk);
        }
    }

    private void WriteDataChunk(OutboundChunk chunk)
    {
        var value = _writer.BeginChunk(ChunkType.Data, chunk.Flags);
        _lastDataChunkStart = _writer.LastChunkStart;
        var message = chunk.Message;
        var header = DataChunk.WriteHeader(value, chunk.Tsn, message.StreamId, message.Ssn ?? 0, message.Ppid);
        chunk.Data.CopyTo(value[header..]);
        _writer.EndChunk(header + chunk.Length);
        chunk.SendCount++;
        chunk.SentAt = _now;
        chunk.InFlight = true;
        _flightBytes += chunk.Length;
        _peerRwnd = chunk.Length >= _peerRwnd ? 0 : _peerRwnd - (uint)chunk.Length;
        _t3Deadline ??= _now + _rto.Rto;
    }

    /// <summary>Every chunk of an abandoned message is abandoned with it (RFC 3758 §3.5 A3).</summary>
    private void AbandonMessage(OutboundMessage message)
    {
        message.Abandoned = true;
        foreach (var chunk in _outstanding)
        {
            if (chunk.Message != message || chunk.Abandoned || chunk.Acked)
            {
                continue;
            }

            chunk.Abandoned = true;
            _counters.ChunksAbandoned++;
            RemoveFromFlight(chunk);
            if (chunk.MarkedForRetransmit)
            {
                chunk.MarkedForRetransmit = false;
                _markedForRetransmit--;
            }

            _handler.OnBytesReleased(message.StreamId, chunk.Length);
        }
    }

    private void RemoveFromFlight(OutboundChunk chunk)
    {
        if (chunk.InFlight)
        {
            chunk.InFlight = false;
            _flightBytes -= chunk.Length;
        }
    }

    /// <summary>
    /// A chunk is due to be sent again (T3 or fast retransmit). A partially reliable one that has
    /// used up its retransmissions or lifetime is abandoned here instead — only at this point.
    /// </summary>
    private void MarkForRetransmit(OutboundChunk chunk)
    {
        if (chunk.Message.IsPartiallyReliable && chunk.ShouldAbandon(_now))
        {
            AbandonMessage(chunk.Message);
            return;
        }

        RemoveFromFlight(chunk);
        if (!chunk.MarkedForRetransmit)
        {
            chunk.MarkedForRetransmit = true;
            _markedForRetransmit++;
        }
    }
}
