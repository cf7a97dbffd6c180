using System.Collections.Concurrent;
using System.Net;

namespace Ticker.PushHub.WebRtc;

/// <summary>How many of something each client address holds, up to a limit.</summary>
internal sealed class AddressCounter(int limit)
{
    private readonly ConcurrentDictionary<IPAddress, int> _counts = new();

    /// <summary>Counts one more for <paramref name="address"/>; false (nothing counted) when it holds the limit already.</summary>
    public bool TryEnter(IPAddress address)
    {
        if (_counts.AddOrUpdate(address, 1, (_, n) => n + 1) <= limit)
        {
            return true;
        }

        Leave(address);
        return false;
    }

    public void Leave(IPAddress address)
    {
        if (_counts.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
        {
            _counts.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
        }
    }
}
