using Ticker.PushHub.WebRtc.Ice;

namespace Ticker.WebRtc.Tests.Ice;

[Trait("Tier", "Fast")]
public sealed class IceCredentialsTests
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    [Fact]
    public void NewUfrag_IsEightIceChars()
    {
        var ufrag = IceCredentials.NewUfrag();

        Assert.Equal(8, ufrag.Length);
        Assert.All(ufrag, c => Assert.Contains(c, IceChars));
    }

    [Fact]
    public void NewPassword_IsAtLeast22IceChars()
    {
        var pwd = IceCredentials.NewPassword();

        Assert.True(pwd.Length >= 22);
        Assert.All(pwd, c => Assert.Contains(c, IceChars));
    }

    [Fact]
    public void NewUfragAndPassword_DifferEachTime()
    {
        var ufrags = Enumerable.Range(0, 100).Select(_ => IceCredentials.NewUfrag()).ToHashSet();
        var pwds = Enumerable.Range(0, 100).Select(_ => IceCredentials.NewPassword()).ToHashSet();

        Assert.Equal(100, ufrags.Count);
        Assert.Equal(100, pwds.Count);
    }
}
