namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>Chunk type values (RFC 4960 §3.2, RFC 6525 §3.1, RFC 3758 §3.2).</summary>
internal static class ChunkType
{
    public const byte Data = 0;
    public const byte Init = 1;
    public const byte InitAck = 2;
    public const byte Sack = 3;
    public const byte Heartbeat = 4;
    public const byte HeartbeatAck = 5;
    public const byte Abort = 6;
    public const byte Shutdown = 7;
    public const byte ShutdownAck = 8;
    public const byte Error = 9;
    public const byte CookieEcho = 10;
    public const byte CookieAck = 11;
    public const byte ShutdownComplete = 14;
    public const byte ReConfig = 0x82;
    public const byte ForwardTsn = 0xC0;
}

/// <summary>Parameter types used in INIT/INIT-ACK (RFC 4960 §3.3.2–3, RFC 3758 §3.1, RFC 5061 §4.2.7).</summary>
internal static class ParameterType
{
    public const ushort HeartbeatInfo = 1;
    public const ushort StateCookie = 7;
    public const ushort UnrecognizedParameter = 8;
    public const ushort SupportedExtensions = 0x8008;
    public const ushort ForwardTsnSupported = 0xC000;
    public const ushort OutgoingSsnResetRequest = 13;
    public const ushort IncomingSsnResetRequest = 14;
    public const ushort ReconfigurationResponse = 16;
}

/// <summary>Error cause codes (RFC 4960 §3.3.10).</summary>
internal static class ErrorCause
{
    public const ushort InvalidStreamIdentifier = 1;
    public const ushort ProtocolViolation = 13;
    public const ushort UnrecognizedChunkType = 6;
    public const ushort NoUserData = 9;
    public const ushort UserInitiatedAbort = 12;
}
