using System.Globalization;
using System.Text;

namespace Ticker.Benchmarks;

/// <summary>
/// Counts messages and samples receipt latency (now minus the message's tick time, <c>"ts"</c>)
/// from many client connections at once, cheaply: a byte search, not a JSON parse.
/// </summary>
internal sealed class LatencyRecorder(int sampleEvery)
{
    private static readonly byte[] TsKey = "\"ts\":\""u8.ToArray();
    private static readonly byte[] MergedKey = "\"merged\":"u8.ToArray();
    private static readonly byte[] TypeKey = "{\"type\":"u8.ToArray();
    private readonly Lock _lock = new();
    private readonly List<double> _samples = new(1 << 20);
    private long _messages;
    private long _merged;
    private bool _recording;

    public long Messages => Interlocked.Read(ref _messages);
    public long Merged => Interlocked.Read(ref _merged);

    public void Start()
    {
        Interlocked.Exchange(ref _messages, 0);
        Interlocked.Exchange(ref _merged, 0);
        lock (_lock)
        {
            _samples.Clear();
            _recording = true;
        }
    }

    /// <summary>One frame: a message, or (batched) a JSON array of messages.</summary>
    public void Record(ReadOnlySpan<byte> frame)
    {
        var count = Math.Max(1, frame.Count(TypeKey));
        var n = Interlocked.Add(ref _messages, count);
        for (var rest = frame; rest.IndexOf(MergedKey) is var merged and >= 0; rest = rest[(merged + MergedKey.Length)..])
        {
            var digits = rest[(merged + MergedKey.Length)..];
            var end = digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            Interlocked.Add(ref _merged, int.Parse(digits[..(end < 0 ? digits.Length : end)], CultureInfo.InvariantCulture) - 1);
        }

        var message = frame;

        if (n / sampleEvery == (n - count) / sampleEvery)
        {
            return;
        }

        var ts = message.IndexOf(TsKey);
        if (ts < 0)
        {
            return;
        }

        var value = message[(ts + TsKey.Length)..];
        var close = value.IndexOf((byte)'"');
        if (close > 0 && DateTimeOffset.TryParse(Encoding.UTF8.GetString(value[..close]), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var stamp))
        {
            var ms = (DateTimeOffset.UtcNow - stamp).TotalMilliseconds;
            lock (_lock)
            {
                if (_recording)
                {
                    _samples.Add(ms);
                }
            }
        }
    }

    public (double P50, double P99, double P999) Percentiles()
    {
        lock (_lock)
        {
            _recording = false;
            var sorted = _samples.Order().ToList();
            double At(double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
            return (At(0.5), At(0.99), At(0.999));
        }
    }
}
