using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Ticker.PushHub.Grpc.V1;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// TLS on Kestrel as docs/operations.md configures it: one HTTPS port serving HTTPS, wss:// and gRPC
/// (HTTP/2 by ALPN), with a certificate the test makes itself.
/// </summary>
public sealed class TlsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task OneHttpsPort_ServesHttpsWssAndGrpc()
    {
        var (pfx, certificate) = CreateCertificate();
        using var _ = certificate;
        var tlsPort = FreePorts.UdpAndTcp();
        await using var hub = HubProcess.Start(database.ConnectionString,
        [
            $"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{tlsPort}",
            "--Kestrel:Endpoints:Https:Protocols=Http1AndHttp2",
            $"--Kestrel:Endpoints:Https:Certificate:Path={pfx}",
            "--Kestrel:Endpoints:Https:Certificate:Password=test",
        ], namedEndpoints: true);
        await hub.WaitReadyAsync();
        // Trust exactly this certificate, as a client pinning it (or trusting its CA) would.
        bool Trust(X509Certificate? presented) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();

        using var handler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => Trust(c) } };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri($"https://127.0.0.1:{tlsPort}") };
        var ready = await http.GetAsync("/healthz/ready");
        Assert.True(ready.IsSuccessStatusCode, await ready.Content.ReadAsStringAsync());

        using var wss = new ClientWebSocket();
        wss.Options.RemoteCertificateValidationCallback = (_, c, _, _) => Trust(c);
        await wss.ConnectAsync(new Uri($"wss://127.0.0.1:{tlsPort}/ws"), CancellationToken.None);
        await wss.SendAsync("""{"op":"ping","id":1}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var received = await wss.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Contains("\"pong\"", System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count), StringComparison.Ordinal);

        using var grpcHandler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, c, _, _) => Trust(c) } };
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{tlsPort}", new GrpcChannelOptions { HttpHandler = grpcHandler });
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "ticker.v1.TickerService" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        var quotes = await new TickerService.TickerServiceClient(channel).GetQuotesAsync(new GetQuotesRequest { Symbols = { "TLS" } });
        Assert.Empty(quotes.Quotes);
        File.Delete(pfx);
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, as a PFX file the hub loads.</summary>
    private static (string Path, X509Certificate2 Certificate) CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ticker-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ticker-tls-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, created.Export(X509ContentType.Pfx, "test"));
        return (path, X509CertificateLoader.LoadPkcs12(File.ReadAllBytes(path), "test"));
    }
}
