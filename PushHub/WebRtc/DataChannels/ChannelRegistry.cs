namespace Ticker.PushHub.WebRtc.DataChannels;

/// <summary>
/// Channels by stream id, and id allocation: the DTLS client opens even ids, the server odd ones
/// (RFC 8832 §6). An id stays taken until its outgoing reset is confirmed (RFC 8831 §6.7).
/// </summary>
internal sealed class ChannelRegistry
{
    private readonly Dictionary<ushort, DataChannel> _channels = [];

    public int Count => _channels.Count;

    public bool TryGet(ushort id, out DataChannel channel) => _channels.TryGetValue(id, out channel!);

    public bool TryAdd(DataChannel channel) => _channels.TryAdd(channel.Id, channel);

    public void Remove(ushort id) => _channels.Remove(id);

    public void Replace(DataChannel channel) => _channels[channel.Id] = channel;

    public bool TryAllocate(bool dtlsClient, out ushort id)
    {
        for (int candidate = dtlsClient ? 0 : 1; candidate < ushort.MaxValue; candidate += 2)
        {
            if (!_channels.ContainsKey((ushort)candidate))
            {
                id = (ushort)candidate;
                return true;
            }
        }

        id = 0;
        return false;
    }
}
