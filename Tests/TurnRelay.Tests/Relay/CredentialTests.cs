using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Ticker.TurnRelay.Relay;

namespace Ticker.TurnRelay.Tests.Relay;

[Trait("Tier", "Fast")]
public sealed class CredentialTests
{
    [Fact]
    public void Create_RestCredentials_MatchCoturnScheme()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        var (username, password) = TurnRestCredentials.Create("north", "alice", TimeSpan.FromHours(1), now);

        Assert.Equal("1700003600:alice", username);
#pragma warning disable CA5350 // the scheme under test
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes("north"), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
        Assert.Equal(expected, password);
    }

    [Fact]
    public void TryGetKey_RestUserBeforeAndAfterExpiry_AcceptsThenRefuses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var options = new TurnRelayOptions { StaticAuthSecret = "north", Realm = "r" };
        var store = new CredentialStore(options, time);
        var (username, _) = TurnRestCredentials.Create("north", "alice", TimeSpan.FromMinutes(5), time.GetUtcNow());
        var key = new byte[16];

        Assert.True(store.TryGetKey(username, key));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(store.TryGetKey(username, key));
    }

    [Fact]
    public void TryGetKey_StaticUserWithHexKey_UsesKeyAsIs()
    {
        var options = new TurnRelayOptions { Realm = "r" };
        options.Users["alice"] = "0x00112233445566778899aabbccddeeff";
        var key = new byte[16];

        Assert.True(new CredentialStore(options, TimeProvider.System).TryGetKey("alice", key));
        Assert.Equal("00112233445566778899aabbccddeeff", Convert.ToHexStringLower(key));
        Assert.False(new CredentialStore(options, TimeProvider.System).TryGetKey("mallory", key));
    }

    [Fact]
    public void Validate_NonceFromOtherAddressOrTampered_IsInvalid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var nonces = new NonceService(time, TimeSpan.FromMinutes(10));
        var nonce = Encoding.ASCII.GetBytes(nonces.Create(1));

        Assert.Equal(NonceService.Check.Valid, nonces.Validate(nonce, 1));
        Assert.Equal(NonceService.Check.Invalid, nonces.Validate(nonce, 2));
        nonce[^1] = nonce[^1] == (byte)'0' ? (byte)'1' : (byte)'0';
        Assert.Equal(NonceService.Check.Invalid, nonces.Validate(nonce, 1));
        Assert.Equal(NonceService.Check.Invalid, nonces.Validate("not a nonce"u8, 1));
    }

    [Fact]
    public void Validate_OldNonce_IsStale()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var nonces = new NonceService(time, TimeSpan.FromMinutes(10));
        var nonce = Encoding.ASCII.GetBytes(nonces.Create(7));

        time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(NonceService.Check.Stale, nonces.Validate(nonce, 7));
    }
}
