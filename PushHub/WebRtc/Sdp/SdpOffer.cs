namespace Ticker.PushHub.WebRtc.Sdp;

/// <summary>What the hub needs from a browser's offer for one data-channel (m=application) section.</summary>
public sealed record SdpOffer(
    string IceUfrag,
    string IcePwd,
    string FingerprintSha256,
    string Setup,
    string Mid,
    ushort SctpPort,
    int MaxMessageSize)
{
    /// <summary>Parses an offer; throws <see cref="SdpException"/> naming what is missing or malformed.</summary>
    public static SdpOffer Parse(string sdp) => throw new NotImplementedException();
}
