using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ticker.PushHub.WebRtc.Sdp;

/// <summary>The hub's answer: ICE-lite, DTLS passive, one application section, host candidates.</summary>
/// <remarks>
/// The shape Chromium accepted (docs: webrtc-notes.md), CRLF-terminated as RFC 8866 §5 requires:
/// <code>
/// v=0 / o=- 1 2 IN IP4 127.0.0.1 / s=- / t=0 0 / a=group:BUNDLE mid / a=ice-lite
/// m=application port UDP/DTLS/SCTP webrtc-datachannel / c=IN IP4|IP6 address
/// a=ice-ufrag / a=ice-pwd / a=fingerprint:sha-256 / a=setup:passive / a=mid / a=sctp-port (the offer's)
/// a=max-message-size / a=candidate (one per endpoint) / a=end-of-candidates
/// </code>
/// </remarks>
public static class SdpAnswer
{
    /// <summary>RFC 8445 §5.1.2.2: host candidates prefer type 126.</summary>
    public const int HostTypePreference = 126;

    /// <summary>
    /// Builds the answer to <paramref name="offer"/>. <paramref name="candidates"/> are the hub's
    /// host endpoints (IPv4 or IPv6), most preferred first; the first also goes into m= and c=.
    /// <paramref name="maxMessageSize"/> is the largest message the hub accepts (RFC 8841 §6).
    /// </summary>
    public static string Build(SdpOffer offer, string iceUfrag, string icePwd, string fingerprintSha256, IReadOnlyList<IPEndPoint> candidates, int maxMessageSize)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(iceUfrag);
        ArgumentNullException.ThrowIfNull(icePwd);
        ArgumentNullException.ThrowIfNull(fingerprintSha256);
        ArgumentNullException.ThrowIfNull(candidates);
        if (!SdpSyntax.IsValidUfrag(iceUfrag))
        {
            throw new ArgumentException("ice-ufrag must be 4-256 ice-chars.", nameof(iceUfrag));
        }
        if (!SdpSyntax.IsValidPassword(icePwd))
        {
            throw new ArgumentException("ice-pwd must be 22-256 ice-chars.", nameof(icePwd));
        }
        if (!SdpSyntax.TryNormalizeSha256Fingerprint(fingerprintSha256, out var fingerprint))
        {
            throw new ArgumentException("Expected 32 colon-separated hex bytes.", nameof(fingerprintSha256));
        }
        if (candidates.Count is 0 or > 65535)
        {
            throw new ArgumentException("Give 1 to 65535 host candidates.", nameof(candidates));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageSize);

        var first = candidates[0];
        var sdp = new StringBuilder(512);
        Line(sdp, "v=0");
        Line(sdp, "o=- 1 2 IN IP4 127.0.0.1");
        Line(sdp, "s=-");
        Line(sdp, "t=0 0");
        if (offer.Mid.Length > 0)
        {
            Line(sdp, $"a=group:BUNDLE {offer.Mid}");
        }
        Line(sdp, "a=ice-lite");
        Line(sdp, $"m=application {first.Port} UDP/DTLS/SCTP webrtc-datachannel");
        Line(sdp, $"c=IN {AddressType(first.Address)} {Format(first.Address)}");
        Line(sdp, $"a=ice-ufrag:{iceUfrag}");
        Line(sdp, $"a=ice-pwd:{icePwd}");
        Line(sdp, $"a=fingerprint:sha-256 {fingerprint}");
        Line(sdp, "a=setup:passive");
        if (offer.Mid.Length > 0)
        {
            Line(sdp, $"a=mid:{offer.Mid}");
        }
        // The same port as the offer's: the association then uses one port on both ends (RFC 8841 §5 lets
        // each side choose; mirroring keeps the one number DataChannelOptions carries right for both).
        Line(sdp, $"a=sctp-port:{offer.SctpPort}");
        Line(sdp, $"a=max-message-size:{maxMessageSize}");
        for (var i = 0; i < candidates.Count; i++)
        {
            var endpoint = candidates[i];
            // RFC 8839 §5.1: foundation, component 1, transport, priority, address, port, type.
            Line(sdp, $"a=candidate:{i + 1} 1 udp {Priority(i)} {Format(endpoint.Address)} {endpoint.Port} typ host");
        }
        Line(sdp, "a=end-of-candidates");
        return sdp.ToString();
    }

    /// <summary>
    /// RFC 8445 §5.1.2.1: 2^24 * type preference + 2^8 * local preference + (256 - component id).
    /// Local preference 65535 for the first candidate, one less for each next, so all differ.
    /// </summary>
    public static uint Priority(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 65535);
        return ((uint)HostTypePreference << 24) | ((uint)(65535 - index) << 8) | (256 - 1);
    }

    private static void Line(StringBuilder sdp, string line) => sdp.Append(line).Append("\r\n");

    private static string AddressType(IPAddress address) =>
        Normalize(address).AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";

    /// <summary>Plain IPv4 for mapped addresses; no "%scope" (not valid in SDP, RFC 8866 §9).</summary>
    private static string Format(IPAddress address)
    {
        var plain = Normalize(address);
        if (plain.AddressFamily == AddressFamily.InterNetworkV6 && plain.ScopeId != 0)
        {
            plain = new IPAddress(plain.GetAddressBytes());
        }
        return plain.ToString().ToLower(CultureInfo.InvariantCulture);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
