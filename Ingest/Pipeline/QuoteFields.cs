namespace Ticker.Ingest.Pipeline;

/// <summary>Which fields of a quote an update changed; merged with | when updates are conflated.</summary>
[Flags]
public enum QuoteFields
{
    None = 0,
    Last = 1 << 0,
    Bid = 1 << 1,
    Ask = 1 << 2,
    Size = 1 << 3,
    Open = 1 << 4,
    High = 1 << 5,
    Low = 1 << 6,
    Volume = 1 << 7,
    Ts = 1 << 8,
    All = Last | Bid | Ask | Size | Open | High | Low | Volume | Ts,
}
