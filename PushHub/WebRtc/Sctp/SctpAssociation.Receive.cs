namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>The receiving half: DATA (RFC 4960 §6.2), FORWARD-TSN (RFC 3758 §3.6) and when to SACK.</summary>
internal sealed partial class SctpAssociation
{
    private ReceiveTracker _receive = new(0);
    private Reassembler? _reassembler;
    private int _dataPacketsSinceSack;
    private bool _sackNow;

    private Reassembler Reassembly => _reassembler ??= new Reassembler(_handler, LocalMaxMessageBytes, ReceiveCapacity);

    private uint AdvertisedWindow => (uint)Math.Max(0, ReceiveCapacity - Reassembly.BufferedBytes);

    private bool HandleData(in Chunk chunk)
    {
        if (State != AssociationState.Established)
        {
            return true;
        }

        if (!DataChunk.TryParse(chunk.Flags, chunk.Value, out var data))
        {
            _counters.MalformedChunks++;
            return true;
        }

        if (data.UserData.IsEmpty)
        {
            // §6.2: a DATA chunk without user data is a protocol error (No User Data, cause 9).
            Abort("peer sent DATA without user data", _now, ErrorCause.ProtocolViolation);
            return false;
        }

        if (!_receive.IsNew(data.Tsn))
        {
            _counters.DuplicateTsns++;
            _receive.AddDuplicate(data.Tsn);
            _sackNow = true;
            return true;
        }

        if (!_receive.IsInWindow(data.Tsn))
        {
            _counters.DataDroppedBufferFull++;
            return true;
        }

        switch (Reassembly.Add(data, data.Tsn == _receive.CumulativeTsn + 1))
        {
            case ReassemblyResult.BufferFull:
                _counters.DataDroppedBufferFull++;
                _sackNow = true;
                return true;
            case ReassemblyResult.TooLarge:
                // Documented choice: a message beyond our a=max-message-size ends the association.
                Abort("peer message exceeds max-message-size", _now, ErrorCause.ProtocolViolation);
                return false;
        }

        _receive.Add(data.Tsn);
        if (_receive.HasGaps || data.Immediate)
        {
            _sackNow = true; // §6.7: report gaps at once; RFC 7053: the sender asked not to wait
        }

        if (State == AssociationState.Established)
        {
            TryDeferredIncomingReset();
        }

        return State == AssociationState.Established;
    }

    private void HandleForwardTsn(in Chunk chunk)
    {
        if (State != AssociationState.Established)
        {
            return;
        }

        if (!ForwardTsnChunk.TryParse(chunk.Value, out var forward))
        {
            _counters.MalformedChunks++;
            return;
        }

        _counters.ForwardTsnsReceived++;
        var newCumulative = forward.NewCumulativeTsn;
        if (_receive.ForwardTo(newCumulative))
        {
            Reassembly.Forward(newCumulative, forward);
            TryDeferredIncomingReset();
        }

        _sackNow = true; // RFC 3758 §3.6: acknowledge a FORWARD-TSN immediately
    }

    /// <summary>§6.2: SACK every second packet with DATA, at once on gaps or duplicates, else within 200 ms.</summary>
    private void AfterPacket(bool sawData)
    {
        if (!sawData || State != AssociationState.Established)
        {
            return;
        }

        _dataPacketsSinceSack++;
        if (_dataPacketsSinceSack >= 2 || _receive.HasGaps || _receive.HasDuplicates)
        {
            _sackNow = true;
        }
        else
        {
            _sackDeadline ??= _now + DelayedSackTime;
        }
    }

    private bool SackPending => _sackNow || _sackDeadline is not null;

    private void WriteSack()
    {
        var value = _writer.BeginChunk(ChunkType.Sack, 0);
        _writer.EndChunk(_receive.WriteSack(value[..Math.Min(value.Length, 512)], AdvertisedWindow));
        _sackNow = false;
        _sackDeadline = null;
        _dataPacketsSinceSack = 0;
    }
}
