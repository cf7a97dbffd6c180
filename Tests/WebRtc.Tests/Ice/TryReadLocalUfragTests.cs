using Ticker.PushHub.WebRtc.Ice;
using Ticker.TurnRelay.Stun;
using static Ticker.WebRtc.Tests.Ice.StunRequests;

namespace Ticker.WebRtc.Tests.Ice;

/// <summary>Routing on the shared port reads the local ufrag without any session state.</summary>
[Trait("Tier", "Fast")]
public sealed class TryReadLocalUfragTests
{
    [Fact]
    public void TryReadLocalUfrag_Check_GivesPartBeforeColon()
    {
        Assert.True(IceLiteAgent.TryReadLocalUfrag(Check(username: "Abcd1234:xyzw"), out var ufrag));
        Assert.Equal("Abcd1234", ufrag);
    }

    [Fact]
    public void TryReadLocalUfrag_WrongPassword_StillRoutes()
    {
        Assert.True(IceLiteAgent.TryReadLocalUfrag(Check(password: "WrongPassword0123456789xx"), out var ufrag));
        Assert.Equal(LocalUfrag, ufrag);
    }

    [Theory]
    [InlineData("NoColonHere")]
    [InlineData(":Brws")]
    [InlineData("abc:Brws")] // shorter than 4 ice-chars
    [InlineData("ab-d:Brws")] // '-' is no ice-char
    public void TryReadLocalUfrag_BadUsername_IsFalse(string username)
    {
        Assert.False(IceLiteAgent.TryReadLocalUfrag(Check(username: username), out _));
    }

    [Theory]
    [InlineData(StunClass.Indication)]
    [InlineData(StunClass.SuccessResponse)]
    public void TryReadLocalUfrag_NotABindingRequest_IsFalse(StunClass stunClass)
    {
        Assert.False(IceLiteAgent.TryReadLocalUfrag(Check(stunClass: stunClass), out _));
    }

    [Fact]
    public void TryReadLocalUfrag_AttributeLengthPastEnd_IsFalse()
    {
        var check = Check();
        check[22] = 0xFF; // USERNAME length high byte

        Assert.False(IceLiteAgent.TryReadLocalUfrag(check, out _));
    }

    [Fact]
    public void TryReadLocalUfrag_Empty_IsFalse()
    {
        Assert.False(IceLiteAgent.TryReadLocalUfrag([], out _));
    }
}
