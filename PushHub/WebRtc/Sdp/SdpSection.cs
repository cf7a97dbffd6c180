namespace Ticker.PushHub.WebRtc.Sdp;

/// <summary>
/// The attributes the hub reads from one level of an offer (session or media). Where an attribute
/// repeats, the first wins, except a=fingerprint, which may legitimately repeat (RFC 8122 §5).
/// </summary>
internal sealed class SdpSection
{
    /// <summary>The m= line's fields (RFC 8866 §5.14): media, port, proto, formats; empty at session level.</summary>
    public string[] MediaLine { get; init; } = [];

    public string? IceUfrag { get; private set; }

    public string? IcePwd { get; private set; }

    public string? Setup { get; private set; }

    public string? Mid { get; private set; }

    public string? SctpPort { get; private set; }

    public string? MaxMessageSize { get; private set; }

    /// <summary>a=ice-lite (RFC 8839 §5.3), a session-level flag.</summary>
    public bool IceLite { get; private set; }

    /// <summary>(hash function, value) pairs of every a=fingerprint line.</summary>
    public List<(string Hash, string Value)> Fingerprints { get; } = [];

    /// <summary>Records one "a=name:value" line; other attributes are ignored.</summary>
    public void AddAttribute(string name, string value)
    {
        switch (name)
        {
            case "ice-ufrag": IceUfrag ??= value; break;
            case "ice-pwd": IcePwd ??= value; break;
            case "setup": Setup ??= value; break;
            case "mid": Mid ??= value; break;
            case "sctp-port": SctpPort ??= value; break;
            case "max-message-size": MaxMessageSize ??= value; break;
            case "ice-lite": IceLite = true; break;
            case "fingerprint":
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                Fingerprints.Add(space < 0 ? (value, "") : (value[..space], value[(space + 1)..].Trim()));
                break;
            default:
                break;
        }
    }
}
