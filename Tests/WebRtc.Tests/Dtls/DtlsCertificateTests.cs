using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Ticker.PushHub.WebRtc.Dtls;

namespace Ticker.WebRtc.Tests.Dtls;

[Trait("Tier", "Fast")]
public sealed partial class DtlsCertificateTests
{
    [Fact]
    public void Generate_SelfSignedP256_ValidFromYesterdayForThirtyDays()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        var certificate = DtlsCertificate.Generate(new FakeTimeProvider(now));

        using var x509 = X509CertificateLoader.LoadCertificate(certificate.Der);
        Assert.Equal(x509.Subject, x509.Issuer);
        Assert.Equal("1.2.840.10045.4.3.2", x509.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        using var key = x509.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value); // P-256
        Assert.Equal(now.AddDays(-1).UtcDateTime, x509.NotBefore.ToUniversalTime());
        Assert.Equal(now.AddDays(30).UtcDateTime, x509.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Sha256Fingerprint_IsUpperCaseColonHexOfTheDerHash()
    {
        var certificate = DtlsCertificate.Generate(TimeProvider.System);

        Assert.Matches(FingerprintSyntax(), certificate.Sha256Fingerprint);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.Der)), certificate.Sha256Fingerprint.Replace(":", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_Twice_GivesDifferentKeysAndSerials()
    {
        using var first = X509CertificateLoader.LoadCertificate(DtlsCertificate.Generate(TimeProvider.System).Der);
        using var second = X509CertificateLoader.LoadCertificate(DtlsCertificate.Generate(TimeProvider.System).Der);

        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.NotEqual(first.GetPublicKey(), second.GetPublicKey());
    }

    [Theory]
    [InlineData("ab:CD:" + "00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D", true)]
    [InlineData(" 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F ", true)]
    [InlineData("00:01:02", false)]
    [InlineData("0G:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F", false)]
    [InlineData("000:1:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F", false)]
    [InlineData("", false)]
    public void TryParse_ToleratesCaseAndWhitespaceOnly(string text, bool valid)
    {
        Assert.Equal(valid, Sha256Fingerprint.TryParse(text, out var hash));
        Assert.Equal(valid ? 32 : 0, hash.Length);
    }

    [GeneratedRegex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")]
    private static partial Regex FingerprintSyntax();
}
