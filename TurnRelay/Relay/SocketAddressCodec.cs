using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// Reads a <see cref="SocketAddress"/> (sockaddr_in / sockaddr_in6 bytes) into a
/// <see cref="StunTransportAddress"/> without allocating: port at bytes 2–3, IPv4 at 4–7,
/// IPv6 at 8–23, all in network order.
/// </summary>
internal static class SocketAddressCodec
{
    public static StunTransportAddress Read(SocketAddress address)
    {
        var bytes = address.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (address.Family == AddressFamily.InterNetworkV6)
        {
            var bits = BinaryPrimitives.ReadUInt128BigEndian(bytes[8..]);
            // A dual-stack socket reports IPv4 senders as ::ffff:a.b.c.d; treat them as IPv4.
            if (bits >> 32 == 0xFFFF)
            {
                return new StunTransportAddress(AddressFamily.InterNetwork, bits & uint.MaxValue, port);
            }
            return new StunTransportAddress(AddressFamily.InterNetworkV6, bits, port);
        }
        return new StunTransportAddress(AddressFamily.InterNetwork, BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]), port);
    }

    public static SocketAddress Create(in StunTransportAddress address) => address.ToIPEndPoint().Serialize();

    public static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }
}
