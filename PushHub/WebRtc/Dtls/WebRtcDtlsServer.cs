using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace Ticker.PushHub.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's server policy for one WebRTC peer: DTLS 1.2 only, ECDHE-ECDSA AEAD suites, extended master
/// secret, and a client certificate that must hash to the fingerprint from the peer's offer (RFC 8827 §6.5).
/// </summary>
internal sealed class WebRtcDtlsServer(
    BcTlsCrypto crypto, DtlsCertificate certificate, byte[] remoteFingerprint, int handshakeTimeoutMillis)
    : DefaultTlsServer(crypto)
{
    private static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, // 0xC02B, what Chromium picks first
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, // 0xC02C
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>Set before a handshake failure we caused on purpose; names it better than the alert can.</summary>
    public string? FailureReason { get; private set; }

    public bool CloseNotifyReceived { get; private set; }

    public int NegotiatedCipherSuite { get; private set; }

    /// <summary>RFC 6347 §4.1.2.7: a record that fails to authenticate is dropped, not fatal.</summary>
    public override bool IgnoreCorruptDtlsRecords => true;

    public override int GetHandshakeTimeoutMillis() => handshakeTimeoutMillis;

    // Chromium offers DTLS 1.3 too; the notes in docs/webrtc-notes.md pin 1.2, which BouncyCastle serves best.
    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuites);

    // RFC 7627 §5.3: without the extended master secret a man in the middle can share keys with both sides.
    public override bool RequiresExtendedMasterSecret() => true;

    // The peer's certificate is trusted through its fingerprint, whatever algorithm signed it.
    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    // RFC 6066 §4: a server may ignore max_fragment_length. Echoing it would let a peer shrink our
    // records below the SCTP packet size the session is built on (and every Send would then fail).
    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions();
        extensions.Remove(ExtensionType.max_fragment_length);
        return extensions;
    }

    public override CertificateRequest GetCertificateRequest()
    {
        // ecdsa_sign must be listed: Chrome 124 stopped sending its certificate to servers asking only rsa_sign.
        short[] types = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];
        var algorithms = new List<SignatureAndHashAlgorithm>
        {
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
        };
        return new CertificateRequest(types, algorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            FailureReason = "client sent no certificate (one is required to match the offer's fingerprint)";
            // RFC 5246 §7.4.6: a server requiring client authentication answers a missing one with handshake_failure.
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        Span<byte> hash = stackalloc byte[Sha256Fingerprint.Length];
        SHA256.HashData(clientCertificate.GetCertificateAt(0).GetEncoded(), hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, remoteFingerprint))
        {
            FailureReason = "client certificate fingerprint " + Sha256Fingerprint.Format(hash)
                + " does not match the offer's a=fingerprint";
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    protected override TlsCredentialedSigner GetECDsaSignerCredentials()
    {
        var chain = new Certificate([Crypto.CreateCertificate(certificate.Der)]);
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(m_context), (BcTlsCrypto)Crypto, certificate.PrivateKey, chain,
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        if (alertDescription == AlertDescription.close_notify)
        {
            CloseNotifyReceived = true;
        }
    }

    public override void NotifyHandshakeComplete() => NegotiatedCipherSuite = m_context.SecurityParameters.CipherSuite;
}
