using System.Net;
using Ticker.PushHub.WebRtc.Ice;
using Ticker.TurnRelay.Stun;
using static Ticker.WebRtc.Tests.Ice.StunRequests;

namespace Ticker.WebRtc.Tests.Ice;

/// <summary>Anything but a valid check gets the right error or nothing; never an exception, never a selection.</summary>
[Trait("Tier", "Fast")]
public sealed class IceLiteAgentHostileTests
{
    private static readonly IPEndPoint Source = IPEndPoint.Parse("203.0.113.7:50000");

    private readonly IceLiteAgent _agent = new(LocalUfrag, LocalPwd, RemoteUfrag, TimeSpan.FromSeconds(30), TimeSpan.Zero);
    private readonly byte[] _buffer = new byte[IceLiteAgent.MaxResponseLength];

    private int Handle(ReadOnlySpan<byte> datagram) => _agent.HandleStun(datagram, Source, TimeSpan.FromSeconds(1), _buffer);

    [Fact]
    public void HandleStun_RandomGarbage_SendsNothing()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var garbage = new byte[random.Next(0, 200)];
            random.NextBytes(garbage);

            Assert.Equal(0, Handle(garbage)); // no magic cookie: not STUN
            Assert.False(IceLiteAgent.TryReadLocalUfrag(garbage, out _));
        }
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void HandleStun_ValidHeaderRandomAttributes_NeverSucceedsNorThrows()
    {
        var random = new Random(5678);
        for (var i = 0; i < 5000; i++)
        {
            var message = new byte[20 + (4 * random.Next(0, 40))];
            random.NextBytes(message);
            message[0] = 0x00;
            message[1] = 0x01; // Binding request
            message[2] = (byte)((message.Length - 20) >> 8);
            message[3] = (byte)(message.Length - 20);
            message[4] = 0x21;
            message[5] = 0x12;
            message[6] = 0xA4;
            message[7] = 0x42;

            var length = Handle(message);

            if (length > 0)
            {
                Assert.Equal(StunClass.ErrorResponse, StunResponse.Read(_buffer.AsSpan(0, length)).Class);
            }
            if (IceLiteAgent.TryReadLocalUfrag(message, out var ufrag))
            {
                Assert.Matches("^[A-Za-z0-9+/]{4,256}$", ufrag);
            }
        }
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void HandleStun_ChromiumCheckTruncatedAtEveryOffset_SendsNothing()
    {
        var check = TestVectors.ReadHex("chromium-binding-use-candidate.hex");
        for (var length = 0; length < check.Length; length++)
        {
            Assert.Equal(0, Handle(check.AsSpan(0, length)));
            Assert.False(IceLiteAgent.TryReadLocalUfrag(check.AsSpan(0, length), out _));
        }
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void HandleStun_AnyBitFlippedUpToIntegrity_NeverSucceeds()
    {
        var check = Check(useCandidate: true);
        // Everything but the trailing FINGERPRINT: a flip in its type turns it into an unknown
        // attribute after MESSAGE-INTEGRITY, which RFC 8489 §14.5 says to ignore, so that one is valid.
        for (var bit = 0; bit < (check.Length - 8) * 8; bit++)
        {
            var copy = (byte[])check.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));

            var length = Handle(copy);

            if (length > 0)
            {
                Assert.NotEqual(StunClass.SuccessResponse, StunResponse.Read(_buffer.AsSpan(0, length)).Class);
            }
        }
        Assert.Null(_agent.SelectedRemote);
    }

    [Theory]
    [InlineData(LocalUfrag + ":Othr")]
    [InlineData("Othr:" + RemoteUfrag)]
    [InlineData(LocalUfrag)]
    [InlineData(LocalUfrag + ":" + RemoteUfrag + "x")]
    public void HandleStun_WrongUsername_Is401WithoutIntegrity(string username)
    {
        var response = StunResponse.Read(_buffer.AsSpan(0, Handle(Check(username: username))));

        Assert.Equal(StunClass.ErrorResponse, response.Class);
        Assert.Equal(StunErrorCode.Unauthorized, response.ErrorCode);
        Assert.False(response.HasIntegrity); // RFC 8489 §9.1.4: no key agreed yet
        Assert.True(response.FingerprintValid);
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void HandleStun_WrongPassword_Is401()
    {
        var response = StunResponse.Read(_buffer.AsSpan(0, Handle(Check(password: "WrongPassword0123456789xx"))));

        Assert.Equal(StunErrorCode.Unauthorized, response.ErrorCode);
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void HandleStun_MissingIntegrity_Is400()
    {
        var response = StunResponse.Read(_buffer.AsSpan(0, Handle(Check(password: null))));

        Assert.Equal(StunErrorCode.BadRequest, response.ErrorCode);
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void HandleStun_BadFingerprint_IsDropped()
    {
        var check = Check();
        check[^1] ^= 0x01;

        Assert.Equal(0, Handle(check));
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void HandleStun_NoFingerprint_IsAccepted()
    {
        var response = StunResponse.Read(_buffer.AsSpan(0, Handle(Check(fingerprint: false))));

        Assert.Equal(StunClass.SuccessResponse, response.Class);
    }

    [Fact]
    public void HandleStun_IceControlled_Is487WithIntegrity()
    {
        var response = StunResponse.Read(_buffer.AsSpan(0, Handle(Check(controlled: true, useCandidate: true))));

        Assert.Equal(StunClass.ErrorResponse, response.Class);
        Assert.Equal(487, response.ErrorCode);
        Assert.True(response.IntegrityValid);
        Assert.True(response.FingerprintValid);
        Assert.Null(_agent.SelectedRemote);
        Assert.True(_agent.IsExpired(TimeSpan.FromSeconds(30))); // a conflict is no consent
    }

    [Fact]
    public void HandleStun_UnknownComprehensionRequiredAttribute_Is420ListingIt()
    {
        var response = StunResponse.Read(_buffer.AsSpan(0, Handle(Check(extraAttribute: 0x7777))));

        Assert.Equal(StunErrorCode.UnknownAttribute, response.ErrorCode);
        Assert.Equal([(ushort)0x7777], response.UnknownAttributes);
        Assert.True(response.IntegrityValid);
        Assert.Null(_agent.SelectedRemote);
    }

    [Fact]
    public void HandleStun_UnknownComprehensionOptionalAttribute_IsIgnored()
    {
        var response = StunResponse.Read(_buffer.AsSpan(0, Handle(Check(extraAttribute: 0xC123))));

        Assert.Equal(StunClass.SuccessResponse, response.Class);
    }

    [Fact]
    public void HandleStun_OtherMethod_Is400()
    {
        var response = StunResponse.Read(Handle(Check(method: StunMethod.Allocate)) is var n and > 0 ? _buffer.AsSpan(0, n) : []);

        Assert.Equal(StunErrorCode.BadRequest, response.ErrorCode);
    }

    [Theory]
    [InlineData(StunClass.Indication)]
    [InlineData(StunClass.SuccessResponse)]
    [InlineData(StunClass.ErrorResponse)]
    public void HandleStun_NotARequest_IsDroppedAndRefreshesNothing(StunClass stunClass)
    {
        Assert.Equal(0, _agent.HandleStun(Check(stunClass: stunClass), Source, TimeSpan.FromSeconds(29), _buffer));

        Assert.Null(_agent.SelectedRemote);
        Assert.True(_agent.IsExpired(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void HandleStun_SmallResponseBuffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => _agent.HandleStun(Check(), Source, TimeSpan.Zero, new byte[IceLiteAgent.MaxResponseLength - 1]));
    }
}
