namespace Ticker.PushHub.Push;

/// <summary>Why the hub ends a connection, in no transport's terms; each sink maps it to its own close.</summary>
internal enum CloseKind
{
    /// <summary>The client said goodbye or went away.</summary>
    Normal,

    /// <summary>A client message over Hub:MaxMessageBytes.</summary>
    MessageTooBig,

    /// <summary>A message the protocol does not carry (a binary frame on the JSON WebSocket).</summary>
    UnsupportedData,

    /// <summary>No valid credentials (none in time, an invalid token, or another message before auth).</summary>
    Unauthenticated,

    /// <summary>The token expired and nothing replaced it.</summary>
    TokenExpired,

    /// <summary>The hub is draining: reconnect (to another hub) and resume.</summary>
    Restarting,

    /// <summary>More waiting for the client than Hub:MaxQueuedBytes allows.</summary>
    OverBudget,

    /// <summary>A drain was not accepted within Hub:StallTimeout.</summary>
    TooSlow,
}
