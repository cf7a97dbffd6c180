namespace Ticker.PushHub.Push;

/// <summary>
/// The symbols the fan-out holds this queue under, so forgetting a connection touches only its own
/// symbols rather than scanning every symbol's subscribers.
/// </summary>
internal sealed partial class SubscriberQueue
{
    private readonly HashSet<string> _fannedOut = new(StringComparer.Ordinal);

    /// <summary>True when the symbol was not registered yet.</summary>
    internal bool MarkFannedOut(string symbol)
    {
        lock (_fannedOut)
        {
            return _fannedOut.Add(symbol);
        }
    }

    /// <summary>True when the symbol was registered.</summary>
    internal bool UnmarkFannedOut(string symbol)
    {
        lock (_fannedOut)
        {
            return _fannedOut.Remove(symbol);
        }
    }

    internal List<string> FannedOutSymbols()
    {
        lock (_fannedOut)
        {
            return [.. _fannedOut];
        }
    }
}
