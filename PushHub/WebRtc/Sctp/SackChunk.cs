using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// SACK value (RFC 4960 §3.3.4):
/// <code>
/// | Cumulative TSN Ack                                            |
/// | Advertised Receiver Window Credit (a_rwnd)                    |
/// | Number of Gap Ack Blocks = N  | Number of Duplicate TSNs = X  |
/// | Gap Ack Block #1 Start        | Gap Ack Block #1 End          |  (offsets from the cumulative TSN)
/// | Duplicate TSN 1 ...                                           |
/// </code>
/// </summary>
internal readonly ref struct SackChunk
{
    public const int FixedLength = 12;

    private readonly ReadOnlySpan<byte> _value;

    private SackChunk(ReadOnlySpan<byte> value, int gapCount)
    {
        _value = value;
        GapCount = gapCount;
    }

    public uint CumulativeTsn => BinaryPrimitives.ReadUInt32BigEndian(_value);

    public uint ReceiverWindow => BinaryPrimitives.ReadUInt32BigEndian(_value[4..]);

    public int GapCount { get; }

    public ushort GapStart(int index) => BinaryPrimitives.ReadUInt16BigEndian(_value[(FixedLength + (4 * index))..]);

    public ushort GapEnd(int index) => BinaryPrimitives.ReadUInt16BigEndian(_value[(FixedLength + (4 * index) + 2)..]);

    /// <summary>False when the counts claim more blocks than the chunk holds.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SackChunk sack)
    {
        sack = default;
        if (value.Length < FixedLength)
        {
            return false;
        }

        int gaps = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        int duplicates = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        if (FixedLength + (4 * gaps) + (4 * duplicates) > value.Length)
        {
            return false;
        }

        sack = new SackChunk(value, gaps);
        return true;
    }
}
