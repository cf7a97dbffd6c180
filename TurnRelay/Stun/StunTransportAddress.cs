using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Ticker.TurnRelay.Stun;

/// <summary>
/// An IP address and port without heap allocation. IPv4 addresses are kept in the low 32 bits of
/// <see cref="Bits"/> with <see cref="Family"/> InterNetwork, so an IPv4-mapped IPv6 address
/// (::ffff:a.b.c.d) stays distinct from the IPv4 address a.b.c.d.
/// </summary>
public readonly record struct StunTransportAddress(AddressFamily Family, UInt128 Bits, ushort Port)
{
    public bool IsIPv4 => Family == AddressFamily.InterNetwork;

    public static StunTransportAddress FromIPv4(uint address, ushort port) =>
        new(AddressFamily.InterNetwork, address, port);

    public static StunTransportAddress FromEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Span<byte> bytes = stackalloc byte[16];
        endPoint.Address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? new(AddressFamily.InterNetwork, BinaryPrimitives.ReadUInt32BigEndian(bytes), (ushort)endPoint.Port)
            : new(AddressFamily.InterNetworkV6, BinaryPrimitives.ReadUInt128BigEndian(bytes), (ushort)endPoint.Port);
    }

    /// <summary>Writes the address in network order: 4 bytes for IPv4, 16 for IPv6.</summary>
    public int WriteAddressBytes(Span<byte> destination)
    {
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Bits);
            return 4;
        }
        BinaryPrimitives.WriteUInt128BigEndian(destination, Bits);
        return 16;
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        var n = WriteAddressBytes(bytes);
        return new IPAddress(bytes[..n]);
    }

    public IPEndPoint ToIPEndPoint() => new(ToIPAddress(), Port);

    /// <summary>The address as a 16-byte IPv6 value (IPv4 in its ::ffff: mapped form), used as a table key.</summary>
    public UInt128 AddressKey => IsIPv4 ? ((UInt128)0xFFFF << 32) | (uint)Bits : Bits;

    public override string ToString() => ToIPEndPoint().ToString();
}
