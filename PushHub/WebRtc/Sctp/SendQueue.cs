namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// Chunks not yet sent, one queue per stream, served round-robin a message at a time so a long
/// queue on one channel (snapshots) does not hold back another (quotes). A message's fragments go
/// out back to back: without I-DATA they must have consecutive TSNs (RFC 4960 §6.9).
/// </summary>
internal sealed class SendQueue
{
    private readonly Dictionary<ushort, Queue<OutboundChunk>> _streams = [];
    private readonly Queue<ushort> _ready = new();
    private ushort? _current;

    public int Count { get; private set; }

    public void Enqueue(OutboundChunk chunk)
    {
        var streamId = chunk.Message.StreamId;
        if (!_streams.TryGetValue(streamId, out var queue))
        {
            queue = new Queue<OutboundChunk>();
            _streams[streamId] = queue;
        }

        if (queue.Count == 0 && _current != streamId)
        {
            _ready.Enqueue(streamId);
        }

        queue.Enqueue(chunk);
        Count++;
    }

    public bool TryPeek(out OutboundChunk chunk)
    {
        if (_current is { } current)
        {
            return _streams[current].TryPeek(out chunk!);
        }

        while (_ready.TryPeek(out var streamId))
        {
            if (_streams[streamId].TryPeek(out chunk!))
            {
                return true;
            }

            _ready.Dequeue();
        }

        chunk = null!;
        return false;
    }

    /// <summary>Removes the chunk <see cref="TryPeek"/> returned; after a message's last chunk the next stream gets its turn.</summary>
    public void Dequeue()
    {
        var streamId = _current ?? _ready.Peek();
        var queue = _streams[streamId];
        var chunk = queue.Dequeue();
        Count--;
        var fromReady = _current is null;
        if ((chunk.Flags & DataChunk.FlagEnd) != 0)
        {
            _current = null;
            if (fromReady)
            {
                _ready.Dequeue();
            }

            if (queue.Count > 0)
            {
                _ready.Enqueue(streamId);
            }
        }
        else if (fromReady)
        {
            _ready.Dequeue();
            _current = streamId;
        }
    }

    public bool HasPending(ushort streamId) => _streams.TryGetValue(streamId, out var queue) && queue.Count > 0;
}
