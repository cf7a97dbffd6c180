using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Ticker.PushHub.WebRtc.DataChannels;

/// <summary>
/// DCEP messages (RFC 8832 §5). DATA_CHANNEL_OPEN:
/// <code>
/// | Message Type = 0x03 | Channel Type  | Priority (2)                  |
/// | Reliability Parameter (4)                                           |
/// | Label Length (2)                    | Protocol Length (2)           |
/// | Label (UTF-8) ...                   | Protocol (UTF-8) ...          |
/// </code>
/// Chromium's OPEN for { ordered: false, maxRetransmits: 0 } is
/// <c>03 81 0100 00000000 &lt;label len&gt; &lt;protocol len&gt; &lt;label&gt;</c>.
/// DATA_CHANNEL_ACK is the single byte 0x02.
/// </summary>
internal static class DcepMessage
{
    public const byte Open = 0x03;
    public const byte Ack = 0x02;
    private const int OpenHeaderLength = 12;

    /// <summary>Parses an OPEN; false for anything malformed (bad type, lengths, UTF-8).</summary>
    public static bool TryParseOpen(ReadOnlySpan<byte> message, out DcepOpen open)
    {
        open = default!;
        if (message.Length < OpenHeaderLength || message[0] != Open)
        {
            return false;
        }

        var channelType = message[1];
        if ((channelType & 0x7F) > 2)
        {
            return false;
        }

        var priority = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var reliability = BinaryPrimitives.ReadUInt32BigEndian(message[4..]);
        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (OpenHeaderLength + labelLength + protocolLength != message.Length)
        {
            return false;
        }

        var label = message.Slice(OpenHeaderLength, labelLength);
        var protocol = message.Slice(OpenHeaderLength + labelLength, protocolLength);
        if (!Utf8.IsValid(label) || !Utf8.IsValid(protocol))
        {
            return false;
        }

        var ordered = (channelType & 0x80) == 0;
        int? maxRetransmits = null;
        int? maxLifetime = null;
        var value = (int)Math.Min(reliability, int.MaxValue);
        switch (channelType & 0x7F)
        {
            case 1:
                maxRetransmits = value;
                break;
            case 2:
                maxLifetime = value;
                break;
        }

        open = new DcepOpen(Encoding.UTF8.GetString(label), Encoding.UTF8.GetString(protocol), ordered, maxRetransmits, maxLifetime, priority);
        return true;
    }

    public static byte[] EncodeOpen(string label, string protocol, bool ordered, int? maxRetransmits, int? maxLifetimeMs, ushort priority = 256)
    {
        var labelBytes = Encoding.UTF8.GetBytes(label);
        var protocolBytes = Encoding.UTF8.GetBytes(protocol);
        var message = new byte[OpenHeaderLength + labelBytes.Length + protocolBytes.Length];
        message[0] = Open;
        byte type = maxRetransmits is not null ? (byte)1 : maxLifetimeMs is not null ? (byte)2 : (byte)0;
        message[1] = (byte)(type | (ordered ? 0 : 0x80));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), priority);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)(maxRetransmits ?? maxLifetimeMs ?? 0));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), (ushort)labelBytes.Length);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), (ushort)protocolBytes.Length);
        labelBytes.CopyTo(message, OpenHeaderLength);
        protocolBytes.CopyTo(message, OpenHeaderLength + labelBytes.Length);
        return message;
    }
}

internal sealed record DcepOpen(string Label, string Protocol, bool Ordered, int? MaxRetransmits, int? MaxLifetimeMs, ushort Priority);
