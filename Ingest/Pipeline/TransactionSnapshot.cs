using System.Globalization;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// A PostgreSQL snapshot (<c>pg_current_snapshot()</c>, text form <c>xmin:xmax:xip,...</c>): which
/// transactions' rows it sees. The start-up state is read under one; a streamed transaction that the
/// snapshot already saw is skipped, which is what joins the loaded state to the live stream with
/// neither a gap nor a double at the seam.
/// </summary>
public sealed class TransactionSnapshot(long xmin, long xmax, IReadOnlySet<long> inProgress)
{
    public long Xmin { get; } = xmin;

    public long Xmax { get; } = xmax;

    /// <summary>Whether rows written by transaction <paramref name="xid"/> (64-bit) were visible.</summary>
    public bool Sees(long xid) => xid < Xmin || (xid < Xmax && !inProgress.Contains(xid));

    /// <summary>
    /// Widens a 32-bit xid (as the replication protocol sends it) to the 64-bit xid nearest to this
    /// snapshot's xmax: transactions streamed now are within 2^31 of it.
    /// </summary>
    public long Widen(uint xid32)
    {
        var candidate = (Xmax & ~0xFFFF_FFFFL) | xid32;
        if (candidate > Xmax + int.MaxValue)
        {
            candidate -= 1L << 32;
        }
        else if (candidate < Xmax - int.MaxValue)
        {
            candidate += 1L << 32;
        }

        return candidate;
    }

    public static TransactionSnapshot Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3)
        {
            throw new FormatException($"not a pg_snapshot: {text}");
        }

        var inProgress = parts[2].Length == 0
            ? new HashSet<long>()
            : parts[2].Split(',').Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToHashSet();
        return new TransactionSnapshot(long.Parse(parts[0], CultureInfo.InvariantCulture),
            long.Parse(parts[1], CultureInfo.InvariantCulture), inProgress);
    }
}
