using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Ticker.PushHub.Tests.Identity;

/// <summary>Auth:Jwt:PublicKeysFile (RSA): RS256 accepted; HS256 signed with the public key (algorithm confusion) and alg none refused.</summary>
public sealed class PublicKeyIdentityTests : IAsyncLifetime
{
    private readonly HubFactory _hub = new();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"ticker-test-{Guid.NewGuid():N}.pem");

    public async Task InitializeAsync()
    {
        await _hub.InitializeAsync();
        await File.WriteAllTextAsync(_keyFile, _rsa.ExportSubjectPublicKeyInfoPem());
        _hub.Settings["Auth:Mode"] = "jwt";
        _hub.Settings["Auth:Jwt:PublicKeysFile"] = _keyFile;
        _hub.Settings["Auth:Jwt:Issuer"] = TestTokens.Jwt.Issuer;
        _hub.Settings["Auth:Jwt:Audience"] = TestTokens.Jwt.Audience;
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_hub).DisposeAsync();
        File.Delete(_keyFile);
        _rsa.Dispose();
    }

    private async Task<HttpStatusCode> QuotesAsync(string token)
    {
        var client = _hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/api/quotes")).StatusCode;
    }

    [Fact]
    public async Task Rs256_SignedWithThePrivateKey_Accepted() =>
        Assert.Equal(HttpStatusCode.OK, await QuotesAsync(TestTokens.Sign(TestTokens.Descriptor(), new RsaSecurityKey(_rsa), SecurityAlgorithms.RsaSha256)));

    [Fact]
    public async Task Hs256_SignedWithThePublicKey_Refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await QuotesAsync(TestTokens.HmacWithPublicKey(_rsa)));

    [Fact]
    public async Task AlgNone_Refused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await QuotesAsync(TestTokens.Unsigned()));
}
