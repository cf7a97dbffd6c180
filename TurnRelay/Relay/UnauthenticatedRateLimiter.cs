namespace Ticker.TurnRelay.Relay;

/// <summary>
/// Bounds 401/438 answers (a reflection/amplification vector) without per-client state: a fixed
/// array of per-second counters indexed by a hash of the source address, plus a global cap.
/// </summary>
internal sealed class UnauthenticatedRateLimiter(int perSecondPerBucket, TimeProvider time)
{
    private const int Buckets = 4096;
    private readonly long[] _second = new long[Buckets];
    private readonly int[] _count = new int[Buckets];
    private readonly Lock _lock = new();
    private long _globalSecond;
    private int _globalCount;

    public bool TryAcquire(UInt128 source)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        var index = (int)((uint)source.GetHashCode() % Buckets);
        lock (_lock)
        {
            if (_globalSecond != second)
            {
                _globalSecond = second;
                _globalCount = 0;
            }
            if (_second[index] != second)
            {
                _second[index] = second;
                _count[index] = 0;
            }
            if (_count[index] >= perSecondPerBucket || _globalCount >= perSecondPerBucket * 16)
            {
                return false;
            }
            _count[index]++;
            _globalCount++;
            return true;
        }
    }
}
