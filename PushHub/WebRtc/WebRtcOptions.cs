using System.ComponentModel.DataAnnotations;

namespace Ticker.PushHub.WebRtc;

/// <summary>WebRTC data channels for low-latency subscribers: configuration section <c>WebRtc</c>.</summary>
public sealed class WebRtcOptions
{
    public const string Section = "WebRtc";

    public bool Enabled { get; set; } = true;

    /// <summary>Address of the one UDP port all sessions share (ICE and DTLS, RFC 7983 demultiplexing).</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>The shared UDP port; 0 picks a free one (tests).</summary>
    [Range(0, 65535, ErrorMessage = "WebRtc:Port must be between 0 and 65535.")]
    public int Port { get; set; } = 8082;

    /// <summary>
    /// Addresses to offer as host candidates besides (and before) the local ones: the public address
    /// of a 1:1 NAT, as coturn's <c>external-ip</c>. The port is the shared port either way.
    /// </summary>
    public string[] AdvertisedAddresses { get; set; } = [];

    /// <summary>Offer only <see cref="AdvertisedAddresses"/>, not the machine's own addresses.</summary>
    public bool AdvertiseOnly { get; set; }

    [Range(1, 100_000, ErrorMessage = "WebRtc:MaxSessions must be between 1 and 100000.")]
    public int MaxSessions { get; set; } = 1000;

    /// <summary>
    /// Sessions whose signaling WebSocket comes from one client address: without it a few addresses
    /// could take every one of <see cref="MaxSessions"/>.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "WebRtc:MaxSessionsPerAddress must be between 1 and 100000.")]
    public int MaxSessionsPerAddress { get; set; } = 10;

    /// <summary>A browser sends a consent check every few seconds; none for this long means it is gone (RFC 7675 uses 30 s).</summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>From the first valid connectivity check to an established DTLS association.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
