namespace Ticker.PushHub.Push;

/// <summary>A token bucket: <c>perSecond</c> messages a second, bursts up to the same number.</summary>
internal sealed class OpsRateLimiter(int perSecond, TimeProvider clock)
{
    private double _tokens = perSecond;
    private long _last = clock.GetTimestamp();

    public bool TryTake()
    {
        var now = clock.GetTimestamp();
        _tokens = Math.Min(perSecond, _tokens + clock.GetElapsedTime(_last, now).TotalSeconds * perSecond);
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
