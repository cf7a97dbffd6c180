namespace Ticker.TurnRelay.Relay;

/// <summary>A token bucket in bytes with one second of burst; zero rate means unlimited.</summary>
internal sealed class BandwidthLimiter(long bytesPerSecond)
{
    private readonly long _rate = bytesPerSecond;
    private readonly Lock _lock = new();
    private long _tokens;
    private long _lastMs;

    public bool TryConsume(int bytes, long nowMs)
    {
        if (_rate <= 0)
        {
            return true;
        }
        lock (_lock)
        {
            if (nowMs > _lastMs)
            {
                _tokens = Math.Min(_rate, _tokens + ((nowMs - _lastMs) * _rate / 1000));
                _lastMs = nowMs;
            }
            if (_tokens < bytes)
            {
                return false;
            }
            _tokens -= bytes;
            return true;
        }
    }
}
