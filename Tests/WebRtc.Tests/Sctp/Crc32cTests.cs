using Ticker.PushHub.WebRtc.Sctp;

namespace Ticker.WebRtc.Tests.Sctp;

[Trait("Tier", "Fast")]
public sealed class Crc32cTests
{
    // RFC 3720 Appendix B.4 CRC32c examples.
    [Theory]
    [InlineData(0x00, 0x8A9136AAu)]
    [InlineData(0xFF, 0x62A8AB43u)]
    public void Compute_Rfc3720ConstantVectors_Match(byte fill, uint expected)
    {
        var data = Enumerable.Repeat(fill, 32).ToArray();

        Assert.Equal(expected, Crc32c.Compute(data));
    }

    [Fact]
    public void Compute_Rfc3720IncrementingBytes_Match()
    {
        var ascending = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var descending = Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray();

        Assert.Equal(0x46DD794Eu, Crc32c.Compute(ascending));
        Assert.Equal(0x113FDB5Cu, Crc32c.Compute(descending));
    }

    [Fact]
    public void StampPacket_StoresLittleEndianChecksumOfZeroedField()
    {
        var packet = SctpPackets.Build(0x01020304, (ChunkType.CookieAck, 0, []));
        var zeroed = (byte[])packet.Clone();
        zeroed.AsSpan(8, 4).Clear();

        var expected = Crc32c.Compute(zeroed);

        Assert.Equal(expected, BitConverter.ToUInt32(packet, 8));
        Assert.True(Crc32c.VerifyPacket(packet));
        packet[13] ^= 1;
        Assert.False(Crc32c.VerifyPacket(packet));
    }
}
