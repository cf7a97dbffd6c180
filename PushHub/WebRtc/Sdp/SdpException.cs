namespace Ticker.PushHub.WebRtc.Sdp;

/// <summary>An offer the hub cannot answer; the message says why, for the client's error reply.</summary>
public sealed class SdpException(string message) : Exception(message);
