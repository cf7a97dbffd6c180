using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// Processing the peer's SACKs (RFC 4960 §6.2.1, §7.2) and advancing past abandoned chunks with
/// FORWARD-TSN (RFC 3758 §3.5). <see cref="_outstanding"/> holds every TSN above the cumulative ack
/// point in order, so a TSN's index is its distance from the first entry.
/// </summary>
internal sealed partial class SctpAssociation
{
    private const int FastRetransmitThreshold = 3;
    private readonly List<(ushort Stream, ushort Ssn)> _forwardStreams = [];
    private uint _advancedPeerAckPoint;
    private bool _forwardTsnDue;
    private int _errorCount;

    private void HandleSack(in Chunk chunk)
    {
        if (State != AssociationState.Established)
        {
            return;
        }

        if (!SackChunk.TryParse(chunk.Value, out var sack))
        {
            _counters.MalformedChunks++;
            return;
        }

        var cumulative = sack.CumulativeTsn;
        if (SerialNumber.Lt(cumulative, _cumAckPoint) || !SerialNumber.Lt(cumulative, _nextTsn))
        {
            return; // §6.2.1 D i: stale; or it acknowledges TSNs never sent
        }

        var flightBefore = _flightBytes;
        var bytesAcked = 0;
        var cumulativeAdvanced = SerialNumber.Gt(cumulative, _cumAckPoint);
        TimeSpan? rtt = null;

        var removed = 0;
        while (removed < _outstanding.Count && SerialNumber.Lte(_outstanding[removed].Tsn, cumulative))
        {
            var acked = _outstanding[removed++];
            if (!acked.Acked && !acked.Abandoned)
            {
                bytesAcked += Acknowledge(acked);
                if (acked.SendCount == 1)
                {
                    rtt = _now - acked.SentAt; // Karn: only chunks sent once
                }
            }
            else if (acked.MarkedForRetransmit)
            {
                acked.MarkedForRetransmit = false;
                _markedForRetransmit--;
            }
        }

        _outstanding.RemoveRange(0, removed);
        _cumAckPoint = cumulative;
        if (SerialNumber.Lt(_advancedPeerAckPoint, _cumAckPoint))
        {
            _advancedPeerAckPoint = _cumAckPoint;
        }

        var highestGapAcked = cumulative;
        for (var i = 0; i < sack.GapCount; i++)
        {
            var start = sack.GapStart(i);
            var end = sack.GapEnd(i);
            if (start == 0 || start > end)
            {
                continue;
            }

            for (uint offset = start; offset <= end; offset++)
            {
                var index = (int)(offset - 1);
                if (index >= _outstanding.Count)
                {
                    break;
                }

                var chunkAcked = _outstanding[index];
                highestGapAcked = SerialNumber.Max(highestGapAcked, chunkAcked.Tsn);
                if (!chunkAcked.Acked && !chunkAcked.Abandoned)
                {
                    bytesAcked += Acknowledge(chunkAcked);
                }
            }
        }

        if (rtt is { } measured)
        {
            _rto.OnMeasurement(measured);
        }

        if (highestGapAcked != cumulative)
        {
            CountMissIndications(highestGapAcked);
        }

        if (cumulativeAdvanced)
        {
            _errorCount = 0;
            _congestion.OnCumulativeAck(bytesAcked, flightBefore, cumulative);
        }

        var window = sack.ReceiverWindow;
        _peerRwnd = window > (uint)_flightBytes ? window - (uint)_flightBytes : 0;

        if (_outstanding.Count == 0)
        {
            _t3Deadline = null;
            _congestion.OnIdle();
        }
        else if (cumulativeAdvanced)
        {
            _t3Deadline = _now + _rto.Rto; // §6.3.2 R3
        }

        UpdateAdvancedPeerAckPoint();
    }

    private int Acknowledge(OutboundChunk chunk)
    {
        chunk.Acked = true;
        RemoveFromFlight(chunk);
        if (chunk.MarkedForRetransmit)
        {
            chunk.MarkedForRetransmit = false;
            _markedForRetransmit--;
        }

        _handler.OnBytesReleased(chunk.Message.StreamId, chunk.Length);
        return chunk.Length;
    }

    /// <summary>§7.2.4: each SACK reporting a TSN above a missing one is one miss indication; three trigger fast retransmit.</summary>
    private void CountMissIndications(uint highestGapAcked)
    {
        foreach (var chunk in _outstanding)
        {
            if (!SerialNumber.Lt(chunk.Tsn, highestGapAcked))
            {
                break;
            }

            if (chunk.Acked || chunk.Abandoned || chunk.FastRetransmitted || chunk.MarkedForRetransmit)
            {
                continue;
            }

            if (++chunk.MissIndications < FastRetransmitThreshold)
            {
                continue;
            }

            chunk.FastRetransmitted = true;
            _counters.FastRetransmits++;
            _congestion.OnFastRetransmit(_nextTsn - 1);
            _fastRetransmitBypass = true;
            MarkForRetransmit(chunk);
        }
    }

    /// <summary>RFC 3758 §3.5 C1–C3: move past abandoned TSNs and tell the peer with FORWARD-TSN.</summary>
    private void UpdateAdvancedPeerAckPoint()
    {
        if (SerialNumber.Lt(_advancedPeerAckPoint, _cumAckPoint))
        {
            _advancedPeerAckPoint = _cumAckPoint;
        }

        foreach (var chunk in _outstanding)
        {
            if (SerialNumber.Lte(chunk.Tsn, _advancedPeerAckPoint))
            {
                continue;
            }

            if (!chunk.Abandoned || chunk.Tsn != _advancedPeerAckPoint + 1)
            {
                break;
            }

            _advancedPeerAckPoint = chunk.Tsn;
        }

        if (SerialNumber.Gt(_advancedPeerAckPoint, _cumAckPoint))
        {
            _forwardTsnDue = true;
        }
    }

    private void WriteForwardTsnIfDue()
    {
        if (!_forwardTsnDue)
        {
            return;
        }

        _forwardStreams.Clear();
        foreach (var chunk in _outstanding)
        {
            if (SerialNumber.Gt(chunk.Tsn, _advancedPeerAckPoint))
            {
                break;
            }

            if (chunk.Message is { Ordered: true, Ssn: { } ssn })
            {
                RecordSkippedSsn(chunk.Message.StreamId, ssn);
            }
        }

        var needed = 4 + (4 * _forwardStreams.Count);
        if (SctpPacketWriter.PaddedChunkLength(needed) > _writer.Remaining)
        {
            return;
        }

        var value = _writer.BeginChunk(ChunkType.ForwardTsn, 0);
        BinaryPrimitives.WriteUInt32BigEndian(value, _advancedPeerAckPoint);
        var offset = 4;
        foreach (var (stream, ssn) in _forwardStreams)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[offset..], stream);
            BinaryPrimitives.WriteUInt16BigEndian(value[(offset + 2)..], ssn);
            offset += 4;
        }

        _writer.EndChunk(offset);
        _forwardTsnDue = false;
        _counters.ForwardTsnsSent++;
        _t3Deadline ??= _now + _rto.Rto; // keep a timer so a lost FORWARD-TSN is sent again
    }

    private void RecordSkippedSsn(ushort stream, ushort ssn)
    {
        for (var i = 0; i < _forwardStreams.Count; i++)
        {
            if (_forwardStreams[i].Stream == stream)
            {
                if (SerialNumber.Lt(_forwardStreams[i].Ssn, ssn))
                {
                    _forwardStreams[i] = (stream, ssn);
                }

                return;
            }
        }

        _forwardStreams.Add((stream, ssn));
    }
}
