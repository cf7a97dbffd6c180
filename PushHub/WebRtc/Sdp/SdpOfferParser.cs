namespace Ticker.PushHub.WebRtc.Sdp;

/// <summary>
/// Reads the one data-channel section of an offer (RFC 8866 syntax, RFC 8841 data channels,
/// RFC 8839 ICE, RFC 8122/8842 DTLS). Lenient where it costs nothing (CRLF or LF, unknown or
/// junk lines skipped), strict where the answer depends on it.
/// </summary>
/// <remarks>
/// Decisions: only offers with exactly one m= section are answered, so the answer's BUNDLE group is
/// trivially consistent (a data-only hub has nothing to say about audio or video). The legacy
/// "DTLS/SCTP 5000" + a=sctpmap format (draft-ietf-mmusic-sctp-sdp-05) is refused with its own
/// message: browsers stopped offering it years ago, and the answer would have to mirror it.
/// </remarks>
internal static class SdpOfferParser
{
    private const string NoDataSection = "offer has no m=application UDP/DTLS/SCTP webrtc-datachannel section";

    public static SdpOffer Parse(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        if (sdp.Length > SdpOffer.MaxLength)
        {
            throw new SdpException($"offer is {sdp.Length} characters long; the limit is {SdpOffer.MaxLength}");
        }
        var (session, sections) = Split(sdp);
        if (sections.Count == 0)
        {
            throw new SdpException(NoDataSection);
        }
        if (sections.Count > 1)
        {
            throw new SdpException($"offer has {sections.Count} m= sections; the hub answers only data-channel offers with a single m=application section");
        }
        if (session.IceLite)
        {
            // RFC 8445 §6.1.1: two lite agents never run checks, so they never connect.
            throw new SdpException("offer is a=ice-lite too; the hub is ICE-lite, so the offerer must run full ICE");
        }
        var media = sections[0];
        CheckMediaLine(media.MediaLine);

        // RFC 8839 §5.4 / RFC 8122 §5: media-level values override session-level ones.
        var ufrag = media.IceUfrag ?? session.IceUfrag ?? throw new SdpException("offer has no a=ice-ufrag");
        var pwd = media.IcePwd ?? session.IcePwd ?? throw new SdpException("offer has no a=ice-pwd");
        if (!SdpSyntax.IsValidUfrag(ufrag))
        {
            throw new SdpException("offer's a=ice-ufrag must be 4-256 ice-chars (A-Z a-z 0-9 + /), RFC 8839 §5.4");
        }
        if (!SdpSyntax.IsValidPassword(pwd))
        {
            throw new SdpException("offer's a=ice-pwd must be 22-256 ice-chars (A-Z a-z 0-9 + /), RFC 8839 §5.4");
        }
        var fingerprint = ReadFingerprint(media.Fingerprints.Count > 0 ? media.Fingerprints : session.Fingerprints);
        var setup = ReadSetup(media.Setup ?? session.Setup);
        var mid = media.Mid ?? "";
        if (mid.Length > 0 && !SdpSyntax.IsToken(mid))
        {
            throw new SdpException("offer's a=mid is not a token (RFC 5888 §4)");
        }
        return new SdpOffer(ufrag, pwd, fingerprint, setup, mid, ReadSctpPort(media.SctpPort), ReadMaxMessageSize(media.MaxMessageSize));
    }

    /// <summary>Lines are "x=value"; anything else is skipped. Each m= line opens a section.</summary>
    private static (SdpSection Session, List<SdpSection> Media) Split(string sdp)
    {
        var session = new SdpSection();
        var media = new List<SdpSection>();
        var current = session;
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 2 || line[1] != '=')
            {
                continue;
            }
            var value = line[2..];
            if (line[0] == 'm')
            {
                current = new SdpSection { MediaLine = value.Split(' ', StringSplitOptions.RemoveEmptyEntries) };
                media.Add(current);
            }
            else if (line[0] == 'a')
            {
                var colon = value.IndexOf(':', StringComparison.Ordinal);
                current.AddAttribute(colon < 0 ? value : value[..colon], colon < 0 ? "" : value[(colon + 1)..].Trim());
            }
        }
        return (session, media);
    }

    /// <summary>RFC 8841 §4.1: "m=application &lt;port&gt; UDP/DTLS/SCTP webrtc-datachannel".</summary>
    private static void CheckMediaLine(string[] fields)
    {
        if (fields.Length < 4 || fields[0] != "application")
        {
            throw new SdpException(NoDataSection);
        }
        if (fields[2] == "DTLS/SCTP")
        {
            throw new SdpException("offer uses the legacy 'm=application <port> DTLS/SCTP <sctp-port>' format; offer UDP/DTLS/SCTP webrtc-datachannel (RFC 8841)");
        }
        if (fields[2] != "UDP/DTLS/SCTP" || fields[3] != "webrtc-datachannel")
        {
            throw new SdpException(NoDataSection);
        }
        // RFC 8866 §5.14 allows "port/count"; only the port matters here.
        var port = fields[1].Split('/')[0];
        if (!SdpSyntax.TryParseInt(port, out var number) || number > 65535)
        {
            throw new SdpException($"offer's m=application line has a malformed port '{fields[1]}'");
        }
        if (number == 0)
        {
            throw new SdpException("offer's m=application section has port 0 (rejected by the offerer, RFC 8843 §7.3.3)");
        }
    }

    /// <summary>RFC 8122 §5: "hash-func fingerprint"; several lines may offer several hashes.</summary>
    private static string ReadFingerprint(List<(string Hash, string Value)> fingerprints)
    {
        if (fingerprints.Count == 0)
        {
            throw new SdpException("offer has no a=fingerprint");
        }
        foreach (var (hash, value) in fingerprints)
        {
            if (string.Equals(hash, "sha-256", StringComparison.OrdinalIgnoreCase))
            {
                return SdpSyntax.TryNormalizeSha256Fingerprint(value, out var normalized)
                    ? normalized
                    : throw new SdpException("offer's a=fingerprint:sha-256 value is not 32 colon-separated hex bytes");
            }
        }
        var offered = string.Join(", ", fingerprints.Select(f => f.Hash));
        throw new SdpException($"offer's a=fingerprint uses {offered}; only sha-256 is supported");
    }

    /// <summary>
    /// RFC 8842 §5.2: the hub is always the DTLS server (passive), so the browser must be able to be
    /// the client. An absent a=setup means "active" (RFC 4145 §4).
    /// </summary>
    private static string ReadSetup(string? setup) => setup switch
    {
        null => "active",
        "actpass" or "active" => setup,
        "passive" => throw new SdpException("offer has a=setup:passive, but the hub can only be DTLS passive; offer a=setup:actpass or a=setup:active"),
        _ => throw new SdpException($"offer's a=setup:{setup} is not actpass or active"),
    };

    private static ushort ReadSctpPort(string? value)
    {
        if (value is null)
        {
            return SdpOffer.DefaultSctpPort;
        }
        return SdpSyntax.TryParseInt(value, out var port) && port is >= 1 and <= 65535
            ? (ushort)port
            : throw new SdpException($"offer's a=sctp-port '{value}' is not 1-65535");
    }

    /// <summary>RFC 8841 §6: absent means 65536; 0 means any size.</summary>
    private static int ReadMaxMessageSize(string? value)
    {
        if (value is null)
        {
            return SdpOffer.DefaultMaxMessageSize;
        }
        if (value.Length == 0 || !value.All(char.IsAsciiDigit))
        {
            throw new SdpException($"offer's a=max-message-size '{value}' is not a non-negative integer");
        }
        // Any value beyond int range is as good as unlimited; avoid overflow on absurd lengths.
        var size = value.TrimStart('0').Length > 10 ? long.MaxValue : long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        return size == 0 || size > int.MaxValue ? int.MaxValue : (int)size;
    }
}
