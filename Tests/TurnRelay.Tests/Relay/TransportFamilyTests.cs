using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ticker.TurnRelay.Stun;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Relay;

/// <summary>IPv6 relaying (RFC 6156) on ::1 and TURN over TLS with a configured certificate.</summary>
public sealed class TransportFamilyTests
{
    [Fact]
    public async Task Allocate_Ipv6RequestedOverIpv4_RelaysToIpv6Peer()
    {
        Assert.True(Socket.OSSupportsIPv6, "this host has no IPv6; RFC 6156 relaying cannot be tested");
        await using var server = await TestServer.StartAsync(o => o.ListeningIp = "127.0.0.1,::1");
        using var client = server.Client();
        using var peer = new TestPeer(ipv6: true);

        var response = client.Allocate((ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedAddressFamily, 0x02u << 24));
        Assert.True(response.IsSuccess, response.ToString());
        Assert.Equal(AddressFamily.InterNetworkV6, client.Relayed!.Value.Family);
        Assert.Equal(IPAddress.IPv6Loopback, client.Relayed.Value.ToIPAddress());
        Assert.Equal(StunErrorCode.PeerAddressFamilyMismatch, client.CreatePermission(new IPEndPoint(IPAddress.Loopback, 9)).ErrorCode);
        Assert.True(client.ChannelBind(0x4100, peer.EndPoint).IsSuccess);

        client.SendChannelData(0x4100, [6, 1, 5, 6]);
        var (data, from) = peer.Receive() ?? throw new TimeoutException();
        peer.SendTo([7], from);
        var frame = client.Receive() ?? throw new TimeoutException();

        Assert.Equal([6, 1, 5, 6], data);
        Assert.Equal(client.Relayed.Value.ToIPEndPoint(), from);
        Assert.True(ChannelDataFrame.TryRead(frame, out _, out var payload));
        Assert.Equal([7], payload.ToArray());
    }

    [Fact]
    public async Task Allocate_ClientOverIpv6_GetsIpv6RelayAndMappedAddress()
    {
        Assert.True(Socket.OSSupportsIPv6, "this host has no IPv6; RFC 6156 relaying cannot be tested");
        await using var server = await TestServer.StartAsync(o => o.ListeningIp = "127.0.0.1,::1");
        var v6 = server.Server.UdpEndPoints.Single(e => e.AddressFamily == AddressFamily.InterNetworkV6);
        using var client = new TestTurnClient(v6, TestServer.User, TestServer.Password, TestServer.Realm);

        var response = client.Allocate();

        Assert.True(response.IsSuccess, response.ToString());
        Assert.Equal(AddressFamily.InterNetworkV6, client.Relayed!.Value.Family);
        Assert.Equal(client.Socket.LocalEndPoint, response.XorAddress(StunAttributeType.XorMappedAddress)!.Value.ToIPEndPoint());
    }

    [Fact]
    public async Task Tls_ConfiguredCertificate_AllocatesAndRelays()
    {
        var directory = Directory.CreateTempSubdirectory("ticker-turn-tls-");
        try
        {
            var (certificate, key) = WriteSelfSignedPem(directory.FullName);
            await using var server = await TestServer.StartAsync(o =>
            {
                o.NoTls = false;
                o.TlsPort = 0;
                o.TlsCertificateFile = certificate;
                o.TlsPrivateKeyFile = key;
            });
            using var client = await TestTcpClient.ConnectTlsAsync(server.Server.TlsEndPoints[0], TestServer.User, TestServer.Password, TestServer.Realm);
            using var peer = new TestPeer();

            Assert.True((await client.AllocateAsync()).IsSuccess);
            Assert.True((await client.ChannelBindAsync(0x4004, peer.EndPoint)).IsSuccess);
            await client.SendChannelDataAsync(0x4004, [1, 2]);
            var (data, from) = peer.Receive() ?? throw new TimeoutException();
            peer.SendTo([3, 4, 5, 6, 7], from);
            var frame = await client.ReadFrameAsync();

            Assert.Equal([1, 2], data);
            Assert.True(ChannelDataFrame.TryRead(frame, out _, out var payload));
            Assert.Equal([3, 4, 5, 6, 7], payload.ToArray());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (string Certificate, string Key) WriteSelfSignedPem(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
