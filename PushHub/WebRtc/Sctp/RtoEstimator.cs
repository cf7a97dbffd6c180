namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// Retransmission timeout per RFC 4960 §6.3.1 (α = 1/8, β = 1/4). RTO.min is 220 ms rather than
/// the RFC's 1 s because Chromium delays SACKs by up to 200 ms; a smaller floor fires spuriously.
/// </summary>
internal sealed class RtoEstimator
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Min = TimeSpan.FromMilliseconds(220);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    private TimeSpan _srtt;
    private TimeSpan _rttVar;
    private bool _measured;

    public TimeSpan Rto { get; private set; } = Initial;

    public void OnMeasurement(TimeSpan rtt)
    {
        if (rtt < TimeSpan.Zero)
        {
            return;
        }

        if (!_measured)
        {
            _srtt = rtt;
            _rttVar = rtt / 2;
            _measured = true;
        }
        else
        {
            _rttVar = (_rttVar * 3 / 4) + ((_srtt - rtt).Duration() / 4);
            _srtt = (_srtt * 7 / 8) + (rtt / 8);
        }

        Rto = Clamp(_srtt + (4 * _rttVar));
    }

    /// <summary>RFC 4960 §6.3.3 E2: double on T3 expiry.</summary>
    public void Backoff() => Rto = Clamp(Rto * 2);

    private static TimeSpan Clamp(TimeSpan rto) => rto < Min ? Min : rto > Max ? Max : rto;
}
