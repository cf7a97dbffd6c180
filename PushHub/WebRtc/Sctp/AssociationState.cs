namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>RFC 4960 §4 states, reduced to what a data-channel peer goes through.</summary>
internal enum AssociationState
{
    /// <summary>Passive and waiting for INIT; no state is kept for INITs answered (cookie).</summary>
    Listen,
    CookieWait,
    CookieEchoed,
    Established,
    Closed,
}
