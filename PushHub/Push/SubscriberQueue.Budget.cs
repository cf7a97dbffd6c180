namespace Ticker.PushHub.Push;

/// <summary>
/// The byte budget of the control messages (snapshots, replayed deltas, resets, acknowledgements,
/// errors): a client that asks for more than it reads would otherwise make the hub hold its
/// requests' answers without end. Queued messages and the batch the writer is sending both count;
/// past the budget everything queued is dropped and the queue is cut off, so the transport ends
/// the connection with <see cref="CutOffReason"/>.
/// </summary>
internal sealed partial class SubscriberQueue
{
    /// <summary>One writer batch at most: the writer's taken list is part of what the budget bounds.</summary>
    private const long MaxTakeBytes = 64 * 1024;

    /// <summary>The estimate of one delta not encoded yet.</summary>
    internal const long DeltaBytes = 256;

    private long _queuedBytes;
    private long _inFlightBytes;
    private Outgoing? _rateLimitError;

    /// <summary>Set once the budget was exceeded; the transport ends the connection with this reason.</summary>
    public string? CutOffReason { get; private set; }

    /// <summary>Estimated bytes of control messages queued or in the writer's current batch.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_lock)
            {
                return _queuedBytes + _inFlightBytes;
            }
        }
    }

    /// <summary>What may still be queued before the budget is exceeded.</summary>
    public long RemainingBytes
    {
        get
        {
            lock (_lock)
            {
                return Math.Max(0, maxQueuedBytes - _queuedBytes - _inFlightBytes);
            }
        }
    }

    /// <summary>
    /// A "rate-limited" error: while one is still waiting to go out, another adds nothing, so a
    /// client flooding ops it does not read the answers of cannot grow the queue with them.
    /// </summary>
    public void EnqueueRateLimited(Outgoing error)
    {
        lock (_lock)
        {
            if (_rateLimitError is not null)
            {
                return;
            }

            _rateLimitError = error;
            EnqueueControl(error);
            Signal();
        }
    }

    /// <summary>
    /// A JSON-sized estimate, on the high side, of a message not encoded yet: counting it exactly
    /// would mean encoding on the subscriber's op, which is what the budget protects against.
    /// </summary>
    internal static long EstimateBytes(Outgoing message) => message switch
    {
        Outgoing.Encoded encoded => encoded.Bytes.Length,
        Outgoing.Snapshot => 320,
        Outgoing.Delta => DeltaBytes,
        Outgoing.Reset reset => 320 + (reset.Reason.Length * 3),
        _ => 64,
    };

    private void EnqueueControl(Outgoing message)
    {
        if (CutOffReason is not null)
        {
            return;
        }

        var size = EstimateBytes(message);
        if (_queuedBytes + _inFlightBytes + size > maxQueuedBytes && message is not Outgoing.Close)
        {
            CutOff($"more than {maxQueuedBytes} bytes waiting for this connection; read faster or ask for less");
            return;
        }

        _control.Enqueue(message);
        _queuedBytes += size;
    }

    private void CutOff(string reason)
    {
        CutOffReason = reason;
        _control.Clear();
        _pending.Clear();
        _queuedBytes = 0;
        _inFlightBytes = 0;
        _rateLimitError = null;
        Signal();
    }

    /// <summary>Moves at most <see cref="MaxTakeBytes"/> of control messages to the writer's batch.</summary>
    private void TakeControl(List<Outgoing> messages)
    {
        // The previous batch was sent (the writer takes again only then): it no longer counts.
        _inFlightBytes = 0;
        while (_inFlightBytes < MaxTakeBytes && _control.TryDequeue(out var message))
        {
            var size = EstimateBytes(message);
            _queuedBytes -= size;
            _inFlightBytes += size;
            if (ReferenceEquals(message, _rateLimitError))
            {
                _rateLimitError = null;
            }

            messages.Add(message);
        }
    }
}
