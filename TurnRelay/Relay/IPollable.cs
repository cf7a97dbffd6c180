using System.Net;
using System.Net.Sockets;

namespace Ticker.TurnRelay.Relay;

/// <summary>A UDP socket driven by <see cref="RelayPoller"/>: read one datagram when it is readable.</summary>
internal interface IPollable
{
    Socket Socket { get; }

    int PollId { get; set; }

    /// <summary>Reads and handles one datagram; <paramref name="buffer"/> is the poller's scratch buffer.</summary>
    void ReceiveOnce(byte[] buffer, SocketAddress from);
}
