namespace Ticker.TurnRelay.Stun;

public enum StunParseResult
{
    Ok,
    /// <summary>Shorter than its header claims; on a stream, wait for more bytes.</summary>
    Incomplete,
    /// <summary>Not a STUN message (wrong leading bits or magic cookie).</summary>
    NotStun,
    /// <summary>A STUN header but a broken body (lengths, alignment).</summary>
    Malformed,
}
