namespace Ticker.PushHub.WebRtc.Sdp;

/// <summary>What the hub needs from a browser's offer for one data-channel (m=application) section.</summary>
/// <param name="IceUfrag">The browser's ice-ufrag (RFC 8839 §5.4), media level over session level.</param>
/// <param name="IcePwd">The browser's ice-pwd.</param>
/// <param name="FingerprintSha256">The browser's certificate SHA-256, upper-case hex pairs joined by colons.</param>
/// <param name="Setup">"actpass" or "active" (absent is taken as "active", RFC 4145 §4); the hub is passive.</param>
/// <param name="Mid">The section's a=mid, copied into the answer; empty when the offer has none.</param>
/// <param name="SctpPort">a=sctp-port (RFC 8841 §5), 5000 by default.</param>
/// <param name="MaxMessageSize">
/// The largest message the browser accepts (RFC 8841 §6): 65536 when absent, <see cref="int.MaxValue"/>
/// when it says 0 ("any size") or more than an int holds.
/// </param>
public sealed record SdpOffer(
    string IceUfrag,
    string IcePwd,
    string FingerprintSha256,
    string Setup,
    string Mid,
    ushort SctpPort,
    int MaxMessageSize)
{
    /// <summary>Offers longer than this many characters are refused before parsing.</summary>
    public const int MaxLength = 64 * 1024;

    public const ushort DefaultSctpPort = 5000;

    /// <summary>RFC 8841 §6.1: without a=max-message-size the peer is assumed to take 64 KiB.</summary>
    public const int DefaultMaxMessageSize = 65536;

    /// <summary>Parses an offer; throws <see cref="SdpException"/> naming what is missing or malformed.</summary>
    public static SdpOffer Parse(string sdp) => SdpOfferParser.Parse(sdp);
}
