using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>The hub's self-signed ECDSA P-256 certificate; its SHA-256 fingerprint goes into every answer.</summary>
/// <remarks>
/// WebRTC trusts the certificate through the fingerprint in the signalled SDP (RFC 8827 §6.5), not through a
/// chain, so a self-signed one is all there is. P-256 because every browser accepts it and Chrome generates it.
/// </remarks>
public sealed class DtlsCertificate
{
    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        Der = der;
        PrivateKey = privateKey;
        Sha256Fingerprint = Dtls.Sha256Fingerprint.Of(der);
    }

    /// <summary>A fresh key pair; valid from a day ago (peers with a slow clock) for 30 days.</summary>
    public static DtlsCertificate Generate(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var random = new SecureRandom();

        var keyGenerator = new ECKeyPairGenerator();
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keys = keyGenerator.GenerateKeyPair();

        // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 8 random octets, never zero.
        var serialBytes = new byte[8];
        random.NextBytes(serialBytes);
        serialBytes[^1] |= 1;

        var now = clock.GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=Ticker WebRTC");
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(1, serialBytes));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now.AddDays(-1));
        generator.SetNotAfter(now.AddDays(30));
        generator.SetPublicKey(keys.Public);
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keys.Private, random));

        return new DtlsCertificate(certificate.GetEncoded(), keys.Private);
    }

    /// <summary>Upper-case colon-separated hex, as in <c>a=fingerprint:sha-256 AB:CD:...</c>.</summary>
    public string Sha256Fingerprint { get; }

    internal byte[] Der { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }
}
