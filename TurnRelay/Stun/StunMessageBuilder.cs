using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Ticker.TurnRelay.Stun;

/// <summary>
/// Writes one STUN message into a caller-provided span: header first, then attributes in order,
/// then optionally MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT, which must come last (RFC 8489 §14.5–14.7).
/// Padding is zero unless a test asks otherwise (RFC 5769 vectors pad with spaces).
/// Throws <see cref="ArgumentOutOfRangeException"/> if the buffer is too small.
/// </summary>
public ref struct StunMessageBuilder
{
    private readonly Span<byte> _buffer;
    private int _length;

    public StunMessageBuilder(Span<byte> buffer, ushort messageType, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != 12)
        {
            throw new ArgumentException("A transaction id is 12 bytes.", nameof(transactionId));
        }
        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, messageType);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessageReader.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        _length = StunMessageReader.HeaderLength;
    }

    public StunMessageBuilder(Span<byte> buffer, ushort method, StunClass stunClass, ReadOnlySpan<byte> transactionId)
        : this(buffer, StunMessageType.Encode(method, stunClass), transactionId)
    {
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public readonly ReadOnlySpan<byte> TransactionId => _buffer.Slice(8, 12);

    /// <summary>Reserves an attribute of <paramref name="length"/> bytes and returns its value span to fill.</summary>
    public Span<byte> AddAttribute(ushort type, int length, byte padding = 0)
    {
        var padded = StunMessageReader.Pad4(length);
        var header = _buffer.Slice(_length, 4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(header, type);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)length);
        header[(4 + length)..].Fill(padding);
        var value = header.Slice(4, length);
        _length += 4 + padded;
        SetHeaderLength(_length);
        return value;
    }

    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value, byte padding = 0) =>
        value.CopyTo(AddAttribute(type, value.Length, padding));

    public void AddString(ushort type, string value, byte padding = 0)
    {
        ArgumentNullException.ThrowIfNull(value);
        Encoding.UTF8.GetBytes(value, AddAttribute(type, Encoding.UTF8.GetByteCount(value), padding));
    }

    public void AddUInt32(ushort type, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(AddAttribute(type, 4), value);

    public void AddXorAddress(ushort type, in StunTransportAddress address)
    {
        var txId = _buffer.Slice(8, 12);
        StunAddressCodec.WriteXor(AddAttribute(type, StunAddressCodec.GetXorLength(address)), address, txId);
    }

    public void AddMappedAddress(in StunTransportAddress address) =>
        StunAddressCodec.WritePlain(AddAttribute(StunAttributeType.MappedAddress, address.IsIPv4 ? 8 : 20), address);

    /// <summary>ERROR-CODE (RFC 8489 §14.8): 21 reserved bits, class (3 bits), number (8 bits), reason.</summary>
    public void AddErrorCode(int code, string? reason = null)
    {
        reason ??= StunErrorCode.GetReason(code);
        var value = AddAttribute(StunAttributeType.ErrorCode, 4 + Encoding.UTF8.GetByteCount(reason));
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reason, value[4..]);
    }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): a list of 16-bit types.</summary>
    public void AddUnknownAttributes(scoped ReadOnlySpan<ushort> types)
    {
        var value = AddAttribute(StunAttributeType.UnknownAttributes, types.Length * 2);
        for (var i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(i * 2)..], types[i]);
        }
    }

    public void AddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        var start = _length;
        var value = AddAttribute(StunAttributeType.MessageIntegrity, StunIntegrity.Sha1Length);
        StunIntegrity.ComputeOver(_buffer[..start], _length, key, value, sha256: false);
    }

    public void AddMessageIntegritySha256(scoped ReadOnlySpan<byte> key)
    {
        var start = _length;
        var value = AddAttribute(StunAttributeType.MessageIntegritySha256, StunIntegrity.Sha256Length);
        StunIntegrity.ComputeOver(_buffer[..start], _length, key, value, sha256: true);
    }

    public void AddFingerprint()
    {
        var start = _length;
        var value = AddAttribute(StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(value, StunFingerprint.Compute(_buffer[..start]));
    }

    /// <summary>Copies the finished message into <paramref name="writer"/>.</summary>
    public readonly void CopyTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Written);
    }

    private readonly void SetHeaderLength(int total) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(total - StunMessageReader.HeaderLength));
}
