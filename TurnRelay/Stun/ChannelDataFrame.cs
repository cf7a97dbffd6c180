using System.Buffers.Binary;

namespace Ticker.TurnRelay.Stun;

/// <summary>
/// ChannelData message (RFC 8656 §12.4):
/// <code>
/// |         Channel Number        |            Length             |
/// |                       Application Data                        |
/// </code>
/// Channel numbers 0x4000–0x4FFF; over TCP/TLS the message is padded to a multiple of 4 (§12.5),
/// over UDP padding is optional.
/// </summary>
public static class ChannelDataFrame
{
    public const int HeaderLength = 4;
    public const ushort MinChannel = 0x4000;
    public const ushort MaxChannel = 0x4FFF;

    /// <summary>RFC 5766 allowed up to 0x7FFF; RFC 8656 reserves 0x5000–0x7FFF.</summary>
    public const ushort MaxLegacyChannel = 0x7FFF;

    public static bool IsValidChannel(int channel) => channel is >= MinChannel and <= MaxChannel;

    /// <summary>The first two bits are 01: the demultiplexing rule of RFC 8656 §12.</summary>
    public static bool LooksLikeChannelData(ReadOnlySpan<byte> data) => data.Length >= 1 && (data[0] & 0xC0) == 0x40;

    /// <summary>
    /// Parses a datagram (UDP). False when the length runs beyond the datagram. Any number with the
    /// leading bits 01 (0x4000–0x7FFF) parses; whether it is bound is the relay's business.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out ushort channel, out ReadOnlySpan<byte> payload)
    {
        channel = 0;
        payload = default;
        if (datagram.Length < HeaderLength)
        {
            return false;
        }
        channel = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((channel & 0xC000) != 0x4000 || HeaderLength + length > datagram.Length)
        {
            return false;
        }
        payload = datagram.Slice(HeaderLength, length);
        return true;
    }

    /// <summary>Frame length on a stream, including padding to 4 bytes.</summary>
    public static bool TryGetStreamFrameLength(ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        if (data.Length < HeaderLength)
        {
            return false;
        }
        length = HeaderLength + ((BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + 3) & ~3);
        return true;
    }

    public static void WriteHeader(Span<byte> destination, ushort channel, int payloadLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, channel);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
    }
}
