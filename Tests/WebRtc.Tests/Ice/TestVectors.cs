using System.Text.Json;

namespace Ticker.WebRtc.Tests.Ice;

/// <summary>Files under Vectors/ (captured from Chromium 156 by Vectors/capture/capture.js).</summary>
internal static class TestVectors
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", name));

    public static byte[] ReadHex(string name) => Convert.FromHexString(Read(name).Trim());

    public static string ChromiumOffer => Read("chromium-offer.sdp.txt");

    /// <summary>The credentials the capture script answered with, and where the checks came from.</summary>
    public static CaptureInfo Capture => JsonSerializer.Deserialize<CaptureInfo>(Read("chromium-capture.json"), CaptureInfo.Options)!;

    internal sealed record CaptureInfo(string ServerUfrag, string ServerPwd, string BrowserUfrag, string FirstFrom, string UseCandidateFrom)
    {
        public static JsonSerializerOptions Options { get; } = new() { PropertyNameCaseInsensitive = true };
    }
}
