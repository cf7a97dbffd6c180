namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>The hub's self-signed ECDSA P-256 certificate; its SHA-256 fingerprint goes into every answer.</summary>
public sealed class DtlsCertificate
{
    public static DtlsCertificate Generate(TimeProvider clock) => throw new NotImplementedException();

    /// <summary>Upper-case colon-separated hex, as in <c>a=fingerprint:sha-256 AB:CD:...</c>.</summary>
    public string Sha256Fingerprint => throw new NotImplementedException();
}
