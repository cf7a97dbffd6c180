using System.Net;

namespace Ticker.PushHub.WebRtc.Sdp;

/// <summary>The hub's answer: ICE-lite, DTLS passive, one application section, host candidates.</summary>
public static class SdpAnswer
{
    public static string Build(SdpOffer offer, string iceUfrag, string icePwd, string fingerprintSha256, IReadOnlyList<IPEndPoint> candidates, int maxMessageSize)
        => throw new NotImplementedException();
}
