using Ticker.PushHub.WebRtc.Ice;

namespace Ticker.WebRtc.Tests.Ice;

/// <summary>RFC 7983 §7 first-byte ranges, including each boundary.</summary>
[Trait("Tier", "Fast")]
public sealed class PacketClassifierTests
{
    [Theory]
    [InlineData(0, PacketKind.Stun)]
    [InlineData(1, PacketKind.Stun)]
    [InlineData(3, PacketKind.Stun)]
    [InlineData(4, PacketKind.Unknown)] // 4-19: ZRTP / reserved
    [InlineData(19, PacketKind.Unknown)]
    [InlineData(20, PacketKind.Dtls)] // change_cipher_spec
    [InlineData(22, PacketKind.Dtls)] // handshake
    [InlineData(23, PacketKind.Dtls)] // application_data
    [InlineData(63, PacketKind.Dtls)]
    [InlineData(64, PacketKind.Unknown)] // 64-79: TURN ChannelData
    [InlineData(128, PacketKind.Unknown)] // RTP/RTCP
    [InlineData(255, PacketKind.Unknown)]
    public void Classify_FirstByte_GivesRfc7983Kind(byte first, PacketKind expected)
    {
        Assert.Equal(expected, PacketClassifier.Classify([first, 0, 0, 0]));
    }

    [Fact]
    public void Classify_Empty_IsUnknown()
    {
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([]));
    }

    [Fact]
    public void Classify_ChromiumCheck_IsStun()
    {
        Assert.Equal(PacketKind.Stun, PacketClassifier.Classify(TestVectors.ReadHex("chromium-binding-first.hex")));
    }
}
