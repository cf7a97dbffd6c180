namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// Turns received DATA chunks into messages (RFC 4960 §6.5, §6.6, §6.9): fragments are joined on
/// consecutive TSNs from B to E; ordered messages wait for their stream's next SSN; unordered ones
/// are delivered at once. Everything held counts against a byte budget that also sets a_rwnd.
/// A message growing past the local limit is reported so the association can ABORT.
/// </summary>
internal sealed class Reassembler
{
    private readonly Dictionary<uint, Fragment> _fragments = [];
    private readonly Dictionary<ushort, InboundStream> _streams = [];
    private readonly List<uint> _scratch = [];
    private readonly IMessageSink _sink;
    private readonly int _maxMessageBytes;

    public Reassembler(IMessageSink sink, int maxMessageBytes, int capacityBytes)
    {
        _sink = sink;
        _maxMessageBytes = maxMessageBytes;
        CapacityBytes = capacityBytes;
    }

    public int CapacityBytes { get; }

    public int BufferedBytes { get; private set; }

    public ReassemblyResult Add(in DataChunk chunk, bool nextInOrder)
    {
        var length = chunk.UserData.Length;
        var limit = nextInOrder ? CapacityBytes + _maxMessageBytes : CapacityBytes;
        if (chunk.Beginning && chunk.End)
        {
            if (length > _maxMessageBytes)
            {
                return ReassemblyResult.TooLarge;
            }

            if (chunk.Unordered)
            {
                _sink.Deliver(chunk.StreamId, chunk.Ppid, chunk.UserData);
                return ReassemblyResult.Accepted;
            }

            var stream = Stream(chunk.StreamId);
            if (chunk.Ssn == stream.NextSsn)
            {
                stream.NextSsn++;
                _sink.Deliver(chunk.StreamId, chunk.Ppid, chunk.UserData);
                Drain(chunk.StreamId, stream);
                return ReassemblyResult.Accepted;
            }

            if (!SerialNumber.Lt(stream.NextSsn, chunk.Ssn))
            {
                return ReassemblyResult.Accepted; // an SSN already delivered or skipped: stale
            }

            if (BufferedBytes + length > limit || stream.Pending.ContainsKey(chunk.Ssn))
            {
                return ReassemblyResult.BufferFull;
            }

            stream.Pending[chunk.Ssn] = new Message(chunk.Ppid, chunk.UserData.ToArray());
            BufferedBytes += length;
            return ReassemblyResult.Accepted;
        }

        if (BufferedBytes + length > limit)
        {
            return ReassemblyResult.BufferFull;
        }

        var fragment = new Fragment(chunk.Flags, chunk.StreamId, chunk.Ssn, chunk.Ppid, chunk.UserData.ToArray());
        _fragments[chunk.Tsn] = fragment;
        BufferedBytes += length;
        return TryComplete(chunk.Tsn, fragment);
    }

    private ReassemblyResult TryComplete(uint tsn, Fragment fragment)
    {
        long total = fragment.Data.Length;
        var first = tsn;
        var current = fragment;
        var complete = true;
        while (!current.Beginning)
        {
            if (!_fragments.TryGetValue(first - 1, out var previous) || previous.End || !previous.SameMessage(current))
            {
                complete = false;
                break;
            }

            first--;
            current = previous;
            total += current.Data.Length;
        }

        var last = tsn;
        current = fragment;
        while (!current.End)
        {
            if (!_fragments.TryGetValue(last + 1, out var next) || next.Beginning || !next.SameMessage(current))
            {
                complete = false;
                break;
            }

            last++;
            current = next;
            total += current.Data.Length;
        }

        if (total > _maxMessageBytes)
        {
            return ReassemblyResult.TooLarge;
        }

        if (!complete)
        {
            return ReassemblyResult.Accepted;
        }

        var payload = new byte[total];
        var offset = 0;
        for (var t = first; t != last + 1; t++)
        {
            _fragments.Remove(t, out var part);
            part!.Data.CopyTo(payload, offset);
            offset += part.Data.Length;
        }

        BufferedBytes -= payload.Length;
        if (fragment.Unordered)
        {
            _sink.Deliver(fragment.StreamId, fragment.Ppid, payload);
            return ReassemblyResult.Accepted;
        }

        var stream = Stream(fragment.StreamId);
        if (fragment.Ssn == stream.NextSsn)
        {
            stream.NextSsn++;
            _sink.Deliver(fragment.StreamId, fragment.Ppid, payload);
            Drain(fragment.StreamId, stream);
        }
        else if (SerialNumber.Lt(stream.NextSsn, fragment.Ssn) && stream.Pending.TryAdd(fragment.Ssn, new Message(fragment.Ppid, payload)))
        {
            BufferedBytes += payload.Length;
        }

        return ReassemblyResult.Accepted;
    }

    /// <summary>
    /// FORWARD-TSN (RFC 3758 §3.6): fragments at or below the new cumulative TSN will never complete;
    /// each listed ordered stream skips to after the given SSN and delivers what then is in order.
    /// </summary>
    public void Forward(uint newCumulativeTsn, in ForwardTsnChunk forward)
    {
        _scratch.Clear();
        foreach (var tsn in _fragments.Keys)
        {
            if (SerialNumber.Lte(tsn, newCumulativeTsn))
            {
                _scratch.Add(tsn);
            }
        }

        foreach (var tsn in _scratch)
        {
            _fragments.Remove(tsn, out var gone);
            BufferedBytes -= gone!.Data.Length;
        }

        for (var i = 0; i < forward.StreamCount; i++)
        {
            var streamId = forward.StreamId(i);
            var ssn = forward.Ssn(i);
            var stream = Stream(streamId);
            if (!SerialNumber.Lte(stream.NextSsn, ssn))
            {
                continue;
            }

            DropPendingThrough(stream, ssn);
            stream.NextSsn = (ushort)(ssn + 1);
            Drain(streamId, stream);
        }
    }

    /// <summary>RFC 6525 §5.2.2: an incoming stream reset starts its SSNs again at 0.</summary>
    public void ResetStream(ushort streamId)
    {
        if (_streams.Remove(streamId, out var stream))
        {
            foreach (var message in stream.Pending.Values)
            {
                BufferedBytes -= message.Payload.Length;
            }
        }
    }

    private void DropPendingThrough(InboundStream stream, ushort ssn)
    {
        if (stream.Pending.Count == 0)
        {
            return;
        }

        List<ushort>? stale = null;
        foreach (var key in stream.Pending.Keys)
        {
            if (SerialNumber.Lte(key, ssn))
            {
                (stale ??= []).Add(key);
            }
        }

        if (stale is null)
        {
            return;
        }

        foreach (var key in stale)
        {
            stream.Pending.Remove(key, out var message);
            BufferedBytes -= message!.Payload.Length;
        }
    }

    private void Drain(ushort streamId, InboundStream stream)
    {
        while (stream.Pending.Remove(stream.NextSsn, out var message))
        {
            BufferedBytes -= message.Payload.Length;
            stream.NextSsn++;
            _sink.Deliver(streamId, message.Ppid, message.Payload);
        }
    }

    private InboundStream Stream(ushort streamId)
    {
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            stream = new InboundStream();
            _streams[streamId] = stream;
        }

        return stream;
    }

    private sealed class InboundStream
    {
        public ushort NextSsn { get; set; }

        public Dictionary<ushort, Message> Pending { get; } = [];
    }

    private sealed record Message(uint Ppid, byte[] Payload);

    private sealed record Fragment(byte Flags, ushort StreamId, ushort Ssn, uint Ppid, byte[] Data)
    {
        public bool Beginning => (Flags & DataChunk.FlagBeginning) != 0;

        public bool End => (Flags & DataChunk.FlagEnd) != 0;

        public bool Unordered => (Flags & DataChunk.FlagUnordered) != 0;

        public bool SameMessage(Fragment other) =>
            StreamId == other.StreamId && Unordered == other.Unordered && (Unordered || Ssn == other.Ssn);
    }
}

internal enum ReassemblyResult
{
    Accepted,
    BufferFull,
    TooLarge,
}
