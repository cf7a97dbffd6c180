namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>T1-init/cookie (§5.1), T3-rtx (§6.3.3), delayed SACK (§6.2) and the RE-CONFIG timer (RFC 6525 §5.1.1).</summary>
internal sealed partial class SctpAssociation
{
    private TimeSpan? _t1Deadline;
    private TimeSpan? _t3Deadline;
    private TimeSpan? _sackDeadline;
    private TimeSpan? _reconfigDeadline;

    public TimeSpan? NextTimeout => State == AssociationState.Closed
        ? null
        : Earliest(Earliest(_t1Deadline, _t3Deadline), Earliest(_sackDeadline, _reconfigDeadline));

    public void HandleTimeout(TimeSpan now)
    {
        _now = now;
        if (_t1Deadline <= now)
        {
            OnT1Expired();
        }

        if (_sackDeadline <= now)
        {
            _sackDeadline = null;
            _sackNow = true;
        }

        if (_t3Deadline <= now)
        {
            OnT3Expired();
        }

        if (_reconfigDeadline <= now)
        {
            _reconfigDeadline = null;
            _reconfigRequestDue = _resetInFlight is not null;
        }
    }

    private void OnT1Expired()
    {
        if (++_initRetransmissions > MaxInitRetransmissions)
        {
            Close("no answer to INIT");
            return;
        }

        _rto.Backoff();
        if (State == AssociationState.CookieWait)
        {
            SendInit();
        }
        else if (State == AssociationState.CookieEchoed)
        {
            SendCookieEcho();
        }

        _t1Deadline = _now + _rto.Rto;
    }

    /// <summary>§6.3.3: back off, collapse cwnd, and send everything outstanding again (or abandon it, RFC 3758).</summary>
    private void OnT3Expired()
    {
        _counters.RetransmissionTimeouts++;
        if (++_errorCount > MaxRetransmissions)
        {
            Close("too many retransmissions");
            return;
        }

        _rto.Backoff();
        _congestion.OnRetransmissionTimeout();
        foreach (var chunk in _outstanding)
        {
            if (!chunk.Acked && !chunk.Abandoned)
            {
                MarkForRetransmit(chunk);
            }
        }

        UpdateAdvancedPeerAckPoint();
        _t3Deadline = _outstanding.Count > 0 ? _now + _rto.Rto : null;
    }

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
