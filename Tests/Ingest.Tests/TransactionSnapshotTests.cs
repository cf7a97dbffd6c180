using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Tests;

[Trait("Tier", "Fast")]
public sealed class TransactionSnapshotTests
{
    [Theory]
    [InlineData(99, true)]    // finished before the snapshot
    [InlineData(100, false)]  // running at the snapshot
    [InlineData(101, true)]   // finished between xmin and xmax
    [InlineData(103, false)]  // running at the snapshot
    [InlineData(105, false)]  // started after the snapshot
    public void Sees_TransactionsAroundTheSnapshot(long xid, bool seen) =>
        Assert.Equal(seen, TransactionSnapshot.Parse("100:105:100,103").Sees(xid));

    [Fact]
    public void Parse_NoneRunning_SeesEverythingBelowXmax()
    {
        var snapshot = TransactionSnapshot.Parse("4226:4226:");

        Assert.True(snapshot.Sees(4225));
        Assert.False(snapshot.Sees(4226));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1:2")]
    [InlineData("a:b:c")]
    public void Parse_Garbage_Throws(string text) => Assert.ThrowsAny<FormatException>(() => TransactionSnapshot.Parse(text));

    [Theory]
    [InlineData(0x1_0000_0010L, 0x0000_0005u, 0x1_0000_0005L)] // same epoch
    [InlineData(0x1_0000_0010L, 0xFFFF_FFF0u, 0x0_FFFF_FFF0L)] // just before the epoch turned
    [InlineData(0x0_FFFF_FFF0L, 0x0000_0010u, 0x1_0000_0010L)] // just after the epoch turns
    public void Widen_NearXmax_PicksTheNearestEpoch(long xmax, uint xid32, long expected) =>
        Assert.Equal(expected, new TransactionSnapshot(xmax, xmax, new HashSet<long>()).Widen(xid32));
}
