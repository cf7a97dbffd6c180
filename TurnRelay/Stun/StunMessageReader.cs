using System.Buffers.Binary;

namespace Ticker.TurnRelay.Stun;

/// <summary>
/// A validated, read-only view of one STUN message. No copies: attributes are slices of the input.
/// </summary>
/// <remarks>
/// RFC 8489 §5, header:
/// <code>
///  0                   1                   2                   3
/// |0 0|     STUN Message Type     |         Message Length        |
/// |                         Magic Cookie                          |
/// |                     Transaction ID (96 bits)                  |
/// </code>
/// RFC 8489 §14, each attribute: Type (16) | Length (16) | Value, padded to a multiple of 4.
/// Attributes after MESSAGE-INTEGRITY are ignored except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT
/// (§14.5), so an attacker cannot append, say, a LIFETIME to a signed request. Where an
/// attribute repeats, the first one wins.
/// </remarks>
public readonly ref struct StunMessageReader
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;

    private readonly ReadOnlySpan<byte> _message;

    private StunMessageReader(ReadOnlySpan<byte> message, int attributesEnd, int integrity, int integritySha256, int fingerprint)
    {
        _message = message;
        AttributesEnd = attributesEnd;
        MessageIntegrityOffset = integrity;
        MessageIntegritySha256Offset = integritySha256;
        FingerprintOffset = fingerprint;
    }

    /// <summary>The whole message (header and attributes).</summary>
    public ReadOnlySpan<byte> Message => _message;

    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_message);

    public ushort Method => StunMessageType.GetMethod(MessageType);

    public StunClass Class => StunMessageType.GetClass(MessageType);

    public ReadOnlySpan<byte> TransactionId => _message.Slice(8, 12);

    /// <summary>End of the attributes that count: the offset of the first integrity attribute, or the end.</summary>
    public int AttributesEnd { get; }

    /// <summary>Offset of MESSAGE-INTEGRITY, or -1.</summary>
    public int MessageIntegrityOffset { get; }

    /// <summary>Offset of MESSAGE-INTEGRITY-SHA256, or -1.</summary>
    public int MessageIntegritySha256Offset { get; }

    /// <summary>Offset of FINGERPRINT, or -1.</summary>
    public int FingerprintOffset { get; }

    public bool HasMessageIntegrity => MessageIntegrityOffset >= 0 || MessageIntegritySha256Offset >= 0;

    public StunAttributeEnumerator Attributes => new(_message, AttributesEnd);

    internal static int Pad4(int length) => (length + 3) & ~3;

    /// <summary>Quick check used to demultiplex STUN from ChannelData and other protocols.</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> data) =>
        data.Length >= HeaderLength && (data[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == MagicCookie;

    /// <summary>
    /// Total length of the message starting at <paramref name="data"/>, from its header, for framing on
    /// a stream (RFC 8489 §6.2.2). Returns false when fewer than 4 bytes are available.
    /// </summary>
    public static bool TryGetFrameLength(ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        if (data.Length < 4)
        {
            return false;
        }
        length = HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        return true;
    }

    /// <summary>Parses and validates <paramref name="message"/>, which must be exactly one message.</summary>
    public static StunParseResult TryParse(ReadOnlySpan<byte> message, out StunMessageReader reader)
    {
        reader = default;
        if (message.Length < HeaderLength)
        {
            return message.Length > 0 && (message[0] & 0xC0) != 0 ? StunParseResult.NotStun : StunParseResult.Incomplete;
        }
        if ((message[0] & 0xC0) != 0 || BinaryPrimitives.ReadUInt32BigEndian(message[4..]) != MagicCookie)
        {
            return StunParseResult.NotStun;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((length & 3) != 0)
        {
            return StunParseResult.Malformed;
        }
        if (HeaderLength + length > message.Length)
        {
            return StunParseResult.Incomplete;
        }
        if (HeaderLength + length < message.Length)
        {
            return StunParseResult.Malformed;
        }

        int integrity = -1, integritySha256 = -1, fingerprint = -1;
        var attributesEnd = message.Length;
        var offset = HeaderLength;
        while (offset < message.Length)
        {
            if (offset + 4 > message.Length || fingerprint >= 0)
            {
                return StunParseResult.Malformed; // truncated header, or anything after FINGERPRINT
            }
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            var next = offset + 4 + Pad4(valueLength);
            if (next > message.Length)
            {
                return StunParseResult.Malformed;
            }
            switch (type)
            {
                case StunAttributeType.MessageIntegrity when integrity < 0 && integritySha256 < 0:
                    if (valueLength != 20)
                    {
                        return StunParseResult.Malformed;
                    }
                    integrity = offset;
                    attributesEnd = Math.Min(attributesEnd, offset);
                    break;
                case StunAttributeType.MessageIntegritySha256 when integritySha256 < 0:
                    // RFC 8489 §14.6: 16 to 32 bytes, a multiple of 4.
                    if (valueLength < 16 || valueLength > 32 || (valueLength & 3) != 0)
                    {
                        return StunParseResult.Malformed;
                    }
                    integritySha256 = offset;
                    attributesEnd = Math.Min(attributesEnd, offset);
                    break;
                case StunAttributeType.Fingerprint:
                    if (valueLength != 4)
                    {
                        return StunParseResult.Malformed;
                    }
                    fingerprint = offset;
                    attributesEnd = Math.Min(attributesEnd, offset);
                    break;
                default:
                    break; // attributes after an integrity attribute are ignored (attributesEnd)
            }
            offset = next;
        }
        reader = new StunMessageReader(message, attributesEnd, integrity, integritySha256, fingerprint);
        return StunParseResult.Ok;
    }

    /// <summary>Finds the first attribute of <paramref name="type"/> before any integrity attribute.</summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public bool HasAttribute(ushort type) => TryGetAttribute(type, out _);

    public bool TryGetUInt32(ushort type, out uint value)
    {
        value = 0;
        if (!TryGetAttribute(type, out var raw) || raw.Length != 4)
        {
            return false;
        }
        value = BinaryPrimitives.ReadUInt32BigEndian(raw);
        return true;
    }

    public bool TryGetXorAddress(ushort type, out StunTransportAddress address)
    {
        address = default;
        return TryGetAttribute(type, out var raw) && StunAddressCodec.TryReadXor(raw, TransactionId, out address);
    }

    /// <summary>ERROR-CODE (RFC 8489 §14.8): class * 100 + number, and the reason phrase bytes.</summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason)
    {
        code = 0;
        reason = default;
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out var raw) || raw.Length < 4)
        {
            return false;
        }
        code = (raw[2] & 0x07) * 100 + raw[3];
        reason = raw[4..];
        return true;
    }
}
