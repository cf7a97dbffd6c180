using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// Stream reset (RFC 6525): our Outgoing SSN Reset Requests, one outstanding at a time and only
/// once a stream's queued data has gone out; and the peer's, answered when our cumulative TSN has
/// reached its Sender's Last Assigned TSN (§5.2.2), "in progress" until then.
/// </summary>
internal sealed partial class SctpAssociation
{
    private readonly List<ushort> _resetQueue = [];
    private readonly List<(uint Seq, uint Result)> _reconfigResponses = [];
    private ushort[]? _resetInFlight;
    private uint _reconfigRequestSeq;
    private bool _reconfigRequestDue;
    private uint _peerReconfigSeqExpected;
    private uint _lastResponseResult = ReConfigParameter.ResultSuccess;
    private (uint Seq, uint LastTsn, ushort[] Streams)? _deferredReset;

    public void ResetStream(ushort streamId)
    {
        if (State == AssociationState.Established && !_resetQueue.Contains(streamId)
            && (_resetInFlight is null || Array.IndexOf(_resetInFlight, streamId) < 0))
        {
            _resetQueue.Add(streamId);
        }
    }

    private void HandleReConfig(in Chunk chunk)
    {
        if (State != AssociationState.Established)
        {
            return;
        }

        var rest = chunk.Value;
        while (rest.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(rest);
            int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (length < 4 || length > rest.Length)
            {
                _counters.MalformedChunks++;
                return;
            }

            var body = rest[4..length];
            switch (type)
            {
                case ParameterType.OutgoingSsnResetRequest when body.Length >= 12:
                    HandlePeerResetRequest(body);
                    break;
                case ParameterType.ReconfigurationResponse when body.Length >= 8:
                    HandleReConfigResponse(BinaryPrimitives.ReadUInt32BigEndian(body), BinaryPrimitives.ReadUInt32BigEndian(body[4..]));
                    break;
                case ParameterType.IncomingSsnResetRequest when body.Length >= 4:
                    // We never let the peer reset our outgoing streams for us; data channels do not need it.
                    var seq = BinaryPrimitives.ReadUInt32BigEndian(body);
                    if (seq == _peerReconfigSeqExpected)
                    {
                        _peerReconfigSeqExpected++;
                        _lastResponseResult = ReConfigParameter.ResultDenied;
                    }

                    _reconfigResponses.Add((seq, ReConfigParameter.ResultDenied));
                    break;
                default:
                    _counters.MalformedChunks++;
                    break;
            }

            rest = rest[Math.Min((length + 3) & ~3, rest.Length)..];
        }
    }

    private void HandlePeerResetRequest(ReadOnlySpan<byte> body)
    {
        var seq = BinaryPrimitives.ReadUInt32BigEndian(body);
        var lastTsn = BinaryPrimitives.ReadUInt32BigEndian(body[8..]);
        if (seq == _peerReconfigSeqExpected - 1 && _deferredReset is null)
        {
            _reconfigResponses.Add((seq, _lastResponseResult)); // a retransmission: repeat the answer
            return;
        }

        if (seq != _peerReconfigSeqExpected)
        {
            _reconfigResponses.Add((seq, ReConfigParameter.ResultBadSequenceNumber));
            return;
        }

        var streams = new ushort[(body.Length - 12) / 2];
        for (var i = 0; i < streams.Length; i++)
        {
            streams[i] = BinaryPrimitives.ReadUInt16BigEndian(body[(12 + (2 * i))..]);
        }

        _deferredReset = (seq, lastTsn, streams);
        if (!TryDeferredIncomingReset())
        {
            _reconfigResponses.Add((seq, ReConfigParameter.ResultInProgress));
        }
    }

    /// <summary>Performs a waiting peer reset once every TSN it covers has arrived.</summary>
    private bool TryDeferredIncomingReset()
    {
        if (_deferredReset is not { } reset || !SerialNumber.Lte(reset.LastTsn, _receive.CumulativeTsn))
        {
            return false;
        }

        _deferredReset = null;
        _peerReconfigSeqExpected++;
        _lastResponseResult = ReConfigParameter.ResultSuccess;
        _reconfigResponses.Add((reset.Seq, ReConfigParameter.ResultSuccess));
        foreach (var stream in reset.Streams)
        {
            Reassembly.ResetStream(stream);
            _handler.OnIncomingStreamReset(stream);
        }

        return true;
    }

    private void HandleReConfigResponse(uint seq, uint result)
    {
        if (_resetInFlight is not { } streams || seq != _reconfigRequestSeq)
        {
            return;
        }

        if (result == ReConfigParameter.ResultInProgress)
        {
            _reconfigDeadline = _now + _rto.Rto; // ask again later
            return;
        }

        // Success resets our SSNs; a refusal is final too — either way the stream is released.
        _resetInFlight = null;
        _reconfigRequestSeq++;
        _reconfigDeadline = null;
        _reconfigRequestDue = false;
        foreach (var stream in streams)
        {
            _nextSsn.Remove(stream);
            _handler.OnOutgoingStreamReset(stream);
        }
    }

    /// <summary>
    /// One RE-CONFIG chunk per packet, in one of the parameter combinations RFC 6525 §3.1 allows:
    /// a response, a request, response + outgoing request, or two responses.
    /// </summary>
    private void WriteReConfigIfDue()
    {
        if (_resetInFlight is null && _resetQueue.Count > 0)
        {
            StartResetRequest();
        }

        var request = _reconfigRequestDue ? _resetInFlight : null;
        var responses = Math.Min(_reconfigResponses.Count, request is null ? 2 : 1);
        var length = (12 * responses) + (request is null ? 0 : (16 + (2 * request.Length) + 3) & ~3);
        if (length == 0 || SctpPacketWriter.PaddedChunkLength(length) > _writer.Remaining)
        {
            return;
        }

        var value = _writer.BeginChunk(ChunkType.ReConfig, 0);
        var offset = 0;
        for (var i = 0; i < responses; i++)
        {
            var (seq, result) = _reconfigResponses[0];
            _reconfigResponses.RemoveAt(0);
            offset += ReConfigParameter.WriteResponse(value[offset..], seq, result);
        }

        if (request is not null)
        {
            offset += ReConfigParameter.WriteOutgoingReset(value[offset..], _reconfigRequestSeq, _peerReconfigSeqExpected - 1, _nextTsn - 1, request);
            _reconfigRequestDue = false;
            _reconfigDeadline = _now + _rto.Rto;
        }

        _writer.EndChunk(offset);
    }

    /// <summary>Takes the queued streams whose data has all been handed out (§5.1.2 needs their last TSN fixed).</summary>
    private void StartResetRequest()
    {
        List<ushort>? ready = null;
        foreach (var stream in _resetQueue)
        {
            // Abandoned chunks still queued count as busy: they are dropped on their turn.
            var busy = _unsent.HasPending(stream);
            if (!busy)
            {
                (ready ??= []).Add(stream);
            }
        }

        if (ready is null)
        {
            return;
        }

        var count = Math.Min(ready.Count, 256);
        _resetInFlight = ready.GetRange(0, count).ToArray();
        foreach (var stream in _resetInFlight)
        {
            _resetQueue.Remove(stream);
        }

        _reconfigRequestDue = true;
    }
}
