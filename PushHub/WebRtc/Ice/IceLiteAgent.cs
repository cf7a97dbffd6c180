using System.Net;

namespace Ticker.PushHub.WebRtc.Ice;

/// <summary>
/// ICE-lite for one session (RFC 8445 §2.5): answers the browser's connectivity checks, learns its
/// address from their source, selects the pair it nominates, and declares the peer gone when checks
/// stop (consent, RFC 7675). Sans-IO: bytes in, bytes out, time passed in.
/// </summary>
public sealed class IceLiteAgent
{
    public IceLiteAgent(string localUfrag, string localPassword, string remoteUfrag, TimeSpan consentTimeout, TimeSpan now)
        => throw new NotImplementedException();

    /// <summary>The nominated (or, before nomination, the latest verified) peer address; null until a check succeeds.</summary>
    public IPEndPoint? SelectedRemote => throw new NotImplementedException();

    /// <summary>
    /// Handles a STUN datagram addressed to this agent. Writes a response (success, or 400/401 error)
    /// into <paramref name="response"/> and returns its length; 0 when nothing is to be sent.
    /// </summary>
    public int HandleStun(ReadOnlySpan<byte> datagram, IPEndPoint source, TimeSpan now, Span<byte> response)
        => throw new NotImplementedException();

    /// <summary>True when no valid check arrived within the consent timeout.</summary>
    public bool IsExpired(TimeSpan now) => throw new NotImplementedException();

    /// <summary>
    /// From a Binding request's USERNAME ("local:remote"), the local ufrag that names the session;
    /// false for anything else. Used by the shared port to route a check before any session state.
    /// </summary>
    public static bool TryReadLocalUfrag(ReadOnlySpan<byte> datagram, out string localUfrag)
        => throw new NotImplementedException();
}
