using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Ticker.PushHub.WebRtc.Dtls;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace Ticker.WebRtc.Tests.Dtls;

/// <summary>A BouncyCastle DTLS 1.2 client standing in for the browser: its own self-signed certificate.</summary>
internal sealed class TestDtlsClient(BcTlsCrypto crypto, DtlsCertificate? certificate) : DefaultTlsClient(crypto)
{
    /// <summary>What browsers offer for ECDSA certificates, most preferred first.</summary>
    public int[] CipherSuites { get; set; } =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    public DtlsCertificate? Certificate { get; } = certificate;

    /// <summary>Bytes of RFC 7685 padding, to grow the ClientHello to Chromium's ~1.4 KB.</summary>
    public int ClientHelloPadding { get; init; }

    /// <summary>RFC 6066 max_fragment_length to ask for (e.g. MaxFragmentLength.pow2_9); none when negative.</summary>
    public short MaxFragmentLength { get; init; } = -1;

    public TaskCompletionSource CloseNotifyReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? ServerFingerprint { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuites);

    // Only a guard against a hung test; the server's own timeout is what the tests exercise.
    public override int GetHandshakeTimeoutMillis() => 10_000;

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        if (alertDescription == AlertDescription.close_notify)
        {
            CloseNotifyReceived.TrySetResult();
        }
    }

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions();
        if (ClientHelloPadding > 0)
        {
            TlsExtensionsUtilities.AddPaddingExtension(extensions, ClientHelloPadding);
        }

        if (MaxFragmentLength >= 0)
        {
            TlsExtensionsUtilities.AddMaxFragmentLengthExtension(extensions, MaxFragmentLength);
        }

        return extensions;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    private sealed class Authentication(TestDtlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client.ServerFingerprint = Sha256Fingerprint.Of(serverCertificate.Certificate.GetCertificateAt(0).GetEncoded());

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            if (client.Certificate is not { } certificate)
            {
                return null; // BouncyCastle then sends an empty Certificate message
            }

            var bc = (BcTlsCrypto)client.Crypto;
            return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(client.m_context), bc, certificate.PrivateKey,
                new Certificate([bc.CreateCertificate(certificate.Der)]),
                SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }
    }
}
