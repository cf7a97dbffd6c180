namespace Ticker.PushHub.Push;

/// <summary>
/// The subscribers of one symbol. Adding or removing one costs O(1) and only marks the array that
/// publishing reads as stale; the next publish rebuilds it once, however many subscribers came or
/// went since. So 10,000 clients subscribing at once cost 10,000 set operations, not 10,000 array
/// copies of growing length, and publishing stays a lock-free array read while nothing changes.
/// </summary>
/// <param name="permanent">Never retired, however often emptied (the wildcard's set).</param>
internal sealed class SubscriberSet(bool permanent = false)
{
    private readonly Lock _lock = new();
    private readonly HashSet<SubscriberQueue> _members = new(ReferenceEqualityComparer.Instance);
    private SubscriberQueue[]? _array = [];
    private bool _retired;

    /// <summary>What publishing iterates: every member at some moment after the last change.</summary>
    public SubscriberQueue[] Members
    {
        get
        {
            if (Volatile.Read(ref _array) is { } array)
            {
                return array;
            }

            lock (_lock)
            {
                return _array ??= [.. _members];
            }
        }
    }

    /// <summary>False when the set was retired (emptied and dropped from its map): add to its successor.</summary>
    public bool TryAdd(SubscriberQueue queue)
    {
        lock (_lock)
        {
            if (_retired)
            {
                return false;
            }

            if (_members.Add(queue))
            {
                Volatile.Write(ref _array, null);
            }

            return true;
        }
    }

    /// <summary>Removes <paramref name="queue"/>; true when the set is now empty and retired, to be dropped.</summary>
    public bool RemoveAndRetireIfEmpty(SubscriberQueue queue)
    {
        lock (_lock)
        {
            if (_members.Remove(queue))
            {
                Volatile.Write(ref _array, null);
            }

            _retired = !permanent && _members.Count == 0;
            return _retired;
        }
    }
}
