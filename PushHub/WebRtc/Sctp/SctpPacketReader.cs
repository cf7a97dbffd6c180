using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// A view over one SCTP packet (RFC 4960 §3):
/// <code>
///  0                   1                   2                   3
/// | Source Port Number            | Destination Port Number       |
/// | Verification Tag                                              |
/// | Checksum (CRC32c, little-endian)                              |
/// | Chunk Type    | Chunk Flags   | Chunk Length (incl. header)   |  (repeated, each padded to 4)
/// </code>
/// <see cref="TryValidate"/> walks every chunk header first, so a packet whose lengths lie is
/// dropped whole rather than half processed.
/// </summary>
internal readonly ref struct SctpPacketReader
{
    public const int CommonHeaderLength = 12;
    public const int ChunkHeaderLength = 4;

    private readonly ReadOnlySpan<byte> _packet;

    public SctpPacketReader(ReadOnlySpan<byte> packet) => _packet = packet;

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_packet);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_packet[2..]);

    public uint VerificationTag => BinaryPrimitives.ReadUInt32BigEndian(_packet[4..]);

    /// <summary>True when the header is present and every chunk length is ≥ 4 and within the packet.</summary>
    public bool TryValidate(out int chunkCount)
    {
        chunkCount = 0;
        if (_packet.Length < CommonHeaderLength + ChunkHeaderLength)
        {
            return false;
        }

        var offset = CommonHeaderLength;
        while (offset < _packet.Length)
        {
            if (_packet.Length - offset < ChunkHeaderLength)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_packet[(offset + 2)..]);
            if (length < ChunkHeaderLength || length > _packet.Length - offset)
            {
                return false;
            }

            chunkCount++;
            offset += (length + 3) & ~3;
        }

        return chunkCount > 0;
    }

    public ChunkEnumerator GetEnumerator() => new(_packet[CommonHeaderLength..]);

    internal ref struct ChunkEnumerator
    {
        private ReadOnlySpan<byte> _rest;

        public ChunkEnumerator(ReadOnlySpan<byte> rest)
        {
            _rest = rest;
            Current = default;
        }

        public Chunk Current { get; private set; }

        public bool MoveNext()
        {
            if (_rest.Length < ChunkHeaderLength)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_rest[2..]);
            if (length < ChunkHeaderLength || length > _rest.Length)
            {
                return false;
            }

            Current = new Chunk(_rest[0], _rest[1], _rest[ChunkHeaderLength..length]);
            var padded = Math.Min((length + 3) & ~3, _rest.Length);
            _rest = _rest[padded..];
            return true;
        }
    }
}

/// <summary>One chunk: type, flags and the value after the 4-byte header (padding excluded).</summary>
internal readonly ref struct Chunk
{
    public Chunk(byte type, byte flags, ReadOnlySpan<byte> value)
    {
        Type = type;
        Flags = flags;
        Value = value;
    }

    public byte Type { get; }

    public byte Flags { get; }

    public ReadOnlySpan<byte> Value { get; }
}
