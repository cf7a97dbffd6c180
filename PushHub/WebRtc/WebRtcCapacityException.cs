namespace Ticker.PushHub.WebRtc;

/// <summary>The hub cannot take another WebRTC session now; the message says why, for the client's error reply.</summary>
public sealed class WebRtcCapacityException(string message) : Exception(message);
