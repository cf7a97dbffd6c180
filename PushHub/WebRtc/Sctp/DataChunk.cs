using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// DATA chunk value (RFC 4960 §3.3.1); flags U (unordered) 0x04, B (first fragment) 0x02, E (last) 0x01:
/// <code>
/// | TSN                                                           |
/// | Stream Identifier S           | Stream Sequence Number n      |
/// | Payload Protocol Identifier                                   |
/// | User Data (seq n of Stream S)                                 |
/// </code>
/// </summary>
internal readonly ref struct DataChunk
{
    public const int HeaderLength = 12;
    public const byte FlagEnd = 0x01;
    public const byte FlagBeginning = 0x02;
    public const byte FlagUnordered = 0x04;

    /// <summary>RFC 7053 SACK-IMMEDIATELY: the receiver should not delay its SACK for this chunk.</summary>
    public const byte FlagImmediate = 0x08;

    private DataChunk(byte flags, ReadOnlySpan<byte> value)
    {
        Flags = flags;
        Tsn = BinaryPrimitives.ReadUInt32BigEndian(value);
        StreamId = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
        Ssn = BinaryPrimitives.ReadUInt16BigEndian(value[6..]);
        Ppid = BinaryPrimitives.ReadUInt32BigEndian(value[8..]);
        UserData = value[HeaderLength..];
    }

    public byte Flags { get; }

    public uint Tsn { get; }

    public ushort StreamId { get; }

    public ushort Ssn { get; }

    public uint Ppid { get; }

    public ReadOnlySpan<byte> UserData { get; }

    public bool Unordered => (Flags & FlagUnordered) != 0;

    public bool Beginning => (Flags & FlagBeginning) != 0;

    public bool End => (Flags & FlagEnd) != 0;

    public bool Immediate => (Flags & FlagImmediate) != 0;

    public static bool TryParse(byte flags, ReadOnlySpan<byte> value, out DataChunk chunk)
    {
        if (value.Length < HeaderLength)
        {
            chunk = default;
            return false;
        }

        chunk = new DataChunk(flags, value);
        return true;
    }

    public static int WriteHeader(Span<byte> destination, uint tsn, ushort streamId, ushort ssn, uint ppid)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, tsn);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], streamId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], ssn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ppid);
        return HeaderLength;
    }
}
