using System.Buffers.Binary;
using System.Net.Sockets;

namespace Ticker.TurnRelay.Stun;

/// <summary>
/// (XOR-)MAPPED-ADDRESS values (RFC 8489 §14.1, §14.2):
/// <code>
/// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
/// |                X-Address (Variable)                           |
/// </code>
/// Family 0x01 is IPv4 (4 bytes), 0x02 IPv6 (16 bytes). X-Port is the port XOR the top 16 bits
/// of the magic cookie; an IPv4 X-Address is XOR the cookie, an IPv6 one XOR cookie || transaction id.
/// Example: 192.0.2.1:32853 with the cookie 0x2112A442 encodes as 00 01 A1 47 E1 12 A6 43.
/// </summary>
public static class StunAddressCodec
{
    public const byte FamilyIPv4 = 0x01;
    public const byte FamilyIPv6 = 0x02;

    public static int GetXorLength(in StunTransportAddress address) => address.IsIPv4 ? 8 : 20;

    public static bool TryReadXor(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, out StunTransportAddress address)
    {
        address = default;
        if (value.Length < 4)
        {
            return false;
        }
        var port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (StunMessageReader.MagicCookie >> 16));
        switch (value[1])
        {
            case FamilyIPv4 when value.Length == 8:
                var v4 = BinaryPrimitives.ReadUInt32BigEndian(value[4..]) ^ StunMessageReader.MagicCookie;
                address = new StunTransportAddress(AddressFamily.InterNetwork, v4, port);
                return true;
            case FamilyIPv6 when value.Length == 20 && transactionId.Length == 12:
                Span<byte> mask = stackalloc byte[16];
                BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessageReader.MagicCookie);
                transactionId.CopyTo(mask[4..]);
                var v6 = BinaryPrimitives.ReadUInt128BigEndian(value[4..]) ^ BinaryPrimitives.ReadUInt128BigEndian(mask);
                address = new StunTransportAddress(AddressFamily.InterNetworkV6, v6, port);
                return true;
            default:
                return false;
        }
    }

    public static int WriteXor(Span<byte> destination, in StunTransportAddress address, ReadOnlySpan<byte> transactionId)
    {
        destination[0] = 0;
        destination[1] = address.IsIPv4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(address.Port ^ (StunMessageReader.MagicCookie >> 16)));
        if (address.IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)address.Bits ^ StunMessageReader.MagicCookie);
            return 8;
        }
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessageReader.MagicCookie);
        transactionId.CopyTo(mask[4..]);
        BinaryPrimitives.WriteUInt128BigEndian(destination[4..], address.Bits ^ BinaryPrimitives.ReadUInt128BigEndian(mask));
        return 20;
    }

    public static int WritePlain(Span<byte> destination, in StunTransportAddress address)
    {
        destination[0] = 0;
        destination[1] = address.IsIPv4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], address.Port);
        return 4 + address.WriteAddressBytes(destination[4..]);
    }
}
