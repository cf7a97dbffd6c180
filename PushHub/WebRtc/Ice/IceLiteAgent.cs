using System.Net;
using System.Text;
using Ticker.PushHub.WebRtc.Sdp;
using Ticker.TurnRelay.Stun;

namespace Ticker.PushHub.WebRtc.Ice;

/// <summary>
/// ICE-lite for one session (RFC 8445 §2.5): answers the browser's connectivity checks, learns its
/// address from their source, selects the pair it nominates, and declares the peer gone when checks
/// stop (consent, RFC 7675). Sans-IO: bytes in, bytes out, time passed in.
/// </summary>
/// <remarks>
/// Decisions: unparseable datagrams, responses, indications and requests with a bad FINGERPRINT
/// are dropped silently (RFC 8489 §6.3: not a valid STUN message / nothing to answer); a Binding
/// indication refreshes nothing, because consent needs an authenticated check (RFC 7675 §5.1).
/// Requests that parse are answered: 400 (no USERNAME or MESSAGE-INTEGRITY, or not a Binding),
/// 401 (wrong USERNAME or integrity), 420 (unknown comprehension-required attribute), 487 (the
/// browser claims ICE-CONTROLLED: a lite agent is always controlled, RFC 8445 §6.1.1 and §7.3.1.1),
/// so a misconfigured peer learns why. The shared port routes a check to an agent only by its local
/// ufrag, so strangers cannot reach these answers without guessing one.
/// Any valid check refreshes consent, whatever its source; only the selected pair is used to send.
/// </remarks>
public sealed partial class IceLiteAgent
{
    /// <summary>Responses are never longer than this; <see cref="HandleStun"/> needs a buffer this big.</summary>
    public const int MaxResponseLength = 128;

    private readonly byte[] _key;
    private readonly byte[] _expectedUsername;
    private readonly TimeSpan _consentTimeout;
    private TimeSpan _lastValidCheck;
    private bool _nominated;

    public IceLiteAgent(string localUfrag, string localPassword, string remoteUfrag, TimeSpan consentTimeout, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(localUfrag);
        ArgumentNullException.ThrowIfNull(localPassword);
        ArgumentNullException.ThrowIfNull(remoteUfrag);
        if (!SdpSyntax.IsValidUfrag(localUfrag) || !SdpSyntax.IsValidUfrag(remoteUfrag))
        {
            throw new ArgumentException("ufrags must be 4-256 ice-chars (RFC 8839 §5.4).");
        }
        if (!SdpSyntax.IsValidPassword(localPassword))
        {
            throw new ArgumentException("The password must be 22-256 ice-chars (RFC 8839 §5.4).", nameof(localPassword));
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(consentTimeout, TimeSpan.Zero);
        LocalUfrag = localUfrag;
        // RFC 8489 §9.1.1: the short-term key is OpaqueString(password); ice-chars are ASCII, so its UTF-8.
        _key = Encoding.UTF8.GetBytes(localPassword);
        // RFC 8445 §7.2.2: a check's USERNAME is "receiver's ufrag:sender's ufrag".
        _expectedUsername = Encoding.UTF8.GetBytes($"{localUfrag}:{remoteUfrag}");
        _consentTimeout = consentTimeout;
        _lastValidCheck = now;
    }

    public string LocalUfrag { get; }

    /// <summary>The nominated (or, before nomination, the latest verified) peer address; null until a check succeeds.</summary>
    public IPEndPoint? SelectedRemote { get; private set; }

    /// <summary>True once the browser has nominated a pair (USE-CANDIDATE, RFC 8445 §8.1.1).</summary>
    public bool IsNominated => _nominated;

    /// <summary>
    /// Handles a STUN datagram addressed to this agent. Writes a response (success, or 400/401 error)
    /// into <paramref name="response"/> and returns its length; 0 when nothing is to be sent.
    /// </summary>
    public int HandleStun(ReadOnlySpan<byte> datagram, IPEndPoint source, TimeSpan now, Span<byte> response)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (response.Length < MaxResponseLength)
        {
            throw new ArgumentException($"The response buffer must hold {MaxResponseLength} bytes.", nameof(response));
        }
        if (StunMessageReader.TryParse(datagram, out var request) != StunParseResult.Ok
            || request.Class != StunClass.Request
            || (request.FingerprintOffset >= 0 && !StunFingerprint.Verify(request)))
        {
            return 0;
        }
        if (request.Method != StunMethod.Binding)
        {
            return WriteError(request, response, StunErrorCode.BadRequest, authenticated: false);
        }
        // RFC 8489 §9.1.3: both USERNAME and MESSAGE-INTEGRITY, else 400; wrong either, 401.
        if (!request.TryGetAttribute(StunAttributeType.Username, out var username) || request.MessageIntegrityOffset < 0)
        {
            return WriteError(request, response, StunErrorCode.BadRequest, authenticated: false);
        }
        if (!username.SequenceEqual(_expectedUsername) || !StunIntegrity.VerifySha1(request, _key))
        {
            return WriteError(request, response, StunErrorCode.Unauthorized, authenticated: false);
        }
        // RFC 8489 §6.3.1: after authentication, unknown comprehension-required attributes → 420.
        var unknown = WriteUnknownAttributesError(request, response);
        if (unknown > 0)
        {
            return unknown;
        }
        if (request.HasAttribute(StunAttributeType.IceControlled))
        {
            return WriteError(request, response, RoleConflict, authenticated: true);
        }
        Accept(source, request.HasAttribute(StunAttributeType.UseCandidate), now);
        return WriteSuccess(request, source, response);
    }

    /// <summary>True when no valid check arrived within the consent timeout.</summary>
    public bool IsExpired(TimeSpan now) => now - _lastValidCheck >= _consentTimeout;

    /// <summary>
    /// RFC 8445 §7.3.1.4/§7.3.1.5 for a lite agent: the source is a (peer-reflexive) remote candidate;
    /// USE-CANDIDATE nominates its pair, and the newest nomination wins (§8.1.1 allows the
    /// controlling agent to renominate). Before any nomination, the latest verified source is used.
    /// </summary>
    private void Accept(IPEndPoint source, bool useCandidate, TimeSpan now)
    {
        _lastValidCheck = now;
        if (useCandidate)
        {
            _nominated = true;
            SelectedRemote = source;
        }
        else if (!_nominated)
        {
            SelectedRemote = source;
        }
    }
}
