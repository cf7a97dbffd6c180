using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// Which peer TSNs have arrived: the cumulative TSN plus the out-of-order ones above it, from which
/// SACK gap-ack blocks and the duplicate list are built (RFC 4960 §6.2, §3.3.4).
/// </summary>
internal sealed class ReceiveTracker
{
    /// <summary>How far above the cumulative TSN a DATA chunk may be; beyond it is dropped (bounds memory).</summary>
    public const uint Window = 1 << 16;
    private const int MaxGapBlocks = 64;
    private const int MaxDuplicates = 32;

    private readonly SortedSet<uint> _above = new(SerialComparer.Instance);
    private readonly List<uint> _duplicates = [];

    public ReceiveTracker(uint peerInitialTsn) => CumulativeTsn = peerInitialTsn - 1;

    public uint CumulativeTsn { get; private set; }

    public bool HasGaps => _above.Count > 0;

    public bool HasDuplicates => _duplicates.Count > 0;

    public bool IsNew(uint tsn) => SerialNumber.Gt(tsn, CumulativeTsn) && !_above.Contains(tsn);

    public bool IsInWindow(uint tsn) => tsn - CumulativeTsn <= Window;

    public void AddDuplicate(uint tsn)
    {
        if (_duplicates.Count < MaxDuplicates)
        {
            _duplicates.Add(tsn);
        }
    }

    /// <summary>Records a new TSN; returns true when the cumulative TSN moved.</summary>
    public bool Add(uint tsn)
    {
        if (tsn != CumulativeTsn + 1)
        {
            _above.Add(tsn);
            return false;
        }

        CumulativeTsn = tsn;
        Absorb();
        return true;
    }

    /// <summary>FORWARD-TSN (RFC 3758 §3.6): treat everything up to <paramref name="newCumulative"/> as received.</summary>
    public bool ForwardTo(uint newCumulative)
    {
        if (!SerialNumber.Gt(newCumulative, CumulativeTsn) || !IsInWindow(newCumulative))
        {
            return false;
        }

        CumulativeTsn = newCumulative;
        while (_above.Count > 0 && SerialNumber.Lte(_above.Min, CumulativeTsn))
        {
            _above.Remove(_above.Min);
        }

        Absorb();
        return true;
    }

    private void Absorb()
    {
        while (_above.Count > 0 && _above.Min == CumulativeTsn + 1)
        {
            CumulativeTsn++;
            _above.Remove(CumulativeTsn);
        }
    }

    /// <summary>Writes a SACK value that fits <paramref name="destination"/>; returns its length. Duplicates are reported once.</summary>
    public int WriteSack(Span<byte> destination, uint receiverWindow)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, CumulativeTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], receiverWindow);
        var offset = SackChunk.FixedLength;
        var gaps = 0;
        var duplicates = Math.Min(_duplicates.Count, (destination.Length - offset) / 8);
        var maxGaps = Math.Min(MaxGapBlocks, (destination.Length - offset - (4 * duplicates)) / 4);
        uint start = 0;
        uint end = 0;
        foreach (var tsn in _above)
        {
            var gapOffset = tsn - CumulativeTsn;
            if (gapOffset > ushort.MaxValue)
            {
                break;
            }

            if (start != 0 && gapOffset == end + 1)
            {
                end = gapOffset;
                continue;
            }

            if (start != 0)
            {
                if (gaps == maxGaps)
                {
                    start = 0;
                    break;
                }

                WriteGap(destination, ref offset, start, end);
                gaps++;
            }

            start = gapOffset;
            end = gapOffset;
        }

        if (start != 0 && gaps < maxGaps)
        {
            WriteGap(destination, ref offset, start, end);
            gaps++;
        }

        for (var i = 0; i < duplicates; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], _duplicates[i]);
            offset += 4;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)gaps);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], (ushort)duplicates);
        _duplicates.Clear();
        return offset;
    }

    private static void WriteGap(Span<byte> destination, ref int offset, uint start, uint end)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)start);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)end);
        offset += 4;
    }

    private sealed class SerialComparer : IComparer<uint>
    {
        public static readonly SerialComparer Instance = new();

        public int Compare(uint x, uint y) => (int)(x - y);
    }
}
