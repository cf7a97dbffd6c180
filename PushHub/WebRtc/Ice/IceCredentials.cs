namespace Ticker.PushHub.WebRtc.Ice;

/// <summary>Random ice-ufrag/ice-pwd (RFC 8839 §5.4: ice-char is ALPHA / DIGIT / "+" / "/").</summary>
public static class IceCredentials
{
    public static string NewUfrag() => throw new NotImplementedException();

    public static string NewPassword() => throw new NotImplementedException();
}
