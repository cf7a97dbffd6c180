namespace Ticker.TurnRelay.Relay;

/// <summary>Monotonic milliseconds from a <see cref="TimeProvider"/>, cheap enough for the hot path.</summary>
internal sealed class Clock(TimeProvider time)
{
    private readonly long _ticksPerMs = Math.Max(1, time.TimestampFrequency / 1000);

    public TimeProvider Time => time;

    public long NowMs => time.GetTimestamp() / _ticksPerMs;
}
