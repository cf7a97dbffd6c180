using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// FORWARD-TSN value (RFC 3758 §3.2):
/// <code>
/// | New Cumulative TSN                                            |
/// | Stream-1                      | Stream Sequence-1             |  (one per ordered stream skipped)
/// </code>
/// </summary>
internal readonly ref struct ForwardTsnChunk
{
    private readonly ReadOnlySpan<byte> _value;

    private ForwardTsnChunk(ReadOnlySpan<byte> value) => _value = value;

    public uint NewCumulativeTsn => BinaryPrimitives.ReadUInt32BigEndian(_value);

    public int StreamCount => (_value.Length - 4) / 4;

    public ushort StreamId(int index) => BinaryPrimitives.ReadUInt16BigEndian(_value[(4 + (4 * index))..]);

    public ushort Ssn(int index) => BinaryPrimitives.ReadUInt16BigEndian(_value[(6 + (4 * index))..]);

    public static bool TryParse(ReadOnlySpan<byte> value, out ForwardTsnChunk chunk)
    {
        chunk = new ForwardTsnChunk(value);
        return value.Length >= 4 && value.Length % 4 == 0;
    }
}
