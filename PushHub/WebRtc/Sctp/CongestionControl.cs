namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// Congestion window per RFC 4960 §7.2: slow start below ssthresh, congestion avoidance above it
/// (partial_bytes_acked), halving on fast retransmit (once per fast-recovery episode, RFC 9260
/// §7.2.4) and collapse to one MTU on T3 expiry.
/// </summary>
internal sealed class CongestionControl
{
    private readonly int _mtu;
    private int _partialBytesAcked;

    public CongestionControl(int mtu, uint peerReceiverWindow)
    {
        _mtu = mtu;
        Cwnd = Math.Min(4 * mtu, Math.Max(2 * mtu, 4380)); // §7.2.1
        Ssthresh = (int)Math.Min(peerReceiverWindow, int.MaxValue);
    }

    public int Cwnd { get; private set; }

    public int Ssthresh { get; private set; }

    public bool InFastRecovery { get; private set; }

    public uint FastRecoveryExit { get; private set; }

    /// <summary>The cumulative TSN advanced by <paramref name="bytesAcked"/>; <paramref name="flightBefore"/> was outstanding.</summary>
    public void OnCumulativeAck(int bytesAcked, int flightBefore, uint cumulativeTsn)
    {
        if (InFastRecovery && SerialNumber.Lte(FastRecoveryExit, cumulativeTsn))
        {
            InFastRecovery = false;
        }

        if (InFastRecovery)
        {
            return;
        }

        if (Cwnd <= Ssthresh)
        {
            // §7.2.1: grow only when the window was being used.
            if (flightBefore >= Cwnd - _mtu)
            {
                Cwnd += Math.Min(bytesAcked, _mtu);
            }

            return;
        }

        _partialBytesAcked += bytesAcked;
        if (_partialBytesAcked >= Cwnd && flightBefore >= Cwnd)
        {
            _partialBytesAcked -= Cwnd;
            Cwnd += _mtu;
        }
    }

    public void OnFastRetransmit(uint highestOutstandingTsn)
    {
        if (InFastRecovery)
        {
            return;
        }

        InFastRecovery = true;
        FastRecoveryExit = highestOutstandingTsn;
        Ssthresh = Math.Max(Cwnd / 2, 4 * _mtu);
        Cwnd = Ssthresh;
        _partialBytesAcked = 0;
    }

    public void OnRetransmissionTimeout()
    {
        Ssthresh = Math.Max(Cwnd / 2, 4 * _mtu);
        Cwnd = _mtu;
        _partialBytesAcked = 0;
        InFastRecovery = false;
    }

    /// <summary>§7.2.1: the sender may still send when the window is idle (all acknowledged).</summary>
    public void OnIdle() => _partialBytesAcked = 0;
}
