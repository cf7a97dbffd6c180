using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Ticker.PushHub.WebRtc.Dtls;

namespace Ticker.WebRtc.Tests.Dtls;

/// <summary>A <see cref="DtlsServerTransport"/> and a BouncyCastle client joined by an in-memory datagram link.</summary>
internal sealed class DtlsTestPair : IDisposable
{
    /// <summary>Only bounds how long a broken test hangs; no assertion depends on it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate(TimeProvider.System);
    public static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate(TimeProvider.System);
    private static readonly BcTlsCrypto Crypto = new(new SecureRandom());

    public DtlsTestPair(
        string? offeredFingerprint = null, bool clientHasCertificate = true, int clientSendLimit = 1200,
        TimeSpan? handshakeTimeout = null, int[]? clientCipherSuites = null,
        int clientHelloPadding = 0, int maxDatagramSize = DtlsServerTransport.DefaultMaxDatagramSize, short clientMaxFragmentLength = -1)
    {
        Handler = new RecordingHandler();
        Link = new MemoryDatagramTransport(clientSendLimit);
        Server = new DtlsServerTransport(
            ServerCertificate, offeredFingerprint ?? ClientCertificate.Sha256Fingerprint, Handler, handshakeTimeout ?? Patience,
            maxDatagramSize);
        Handler.Forward = Link.Deliver;
        Link.Outbound = datagram => Server.Enqueue(datagram);
        Client = new TestDtlsClient(Crypto, clientHasCertificate ? ClientCertificate : null) { ClientHelloPadding = clientHelloPadding, MaxFragmentLength = clientMaxFragmentLength };
        if (clientCipherSuites is not null)
        {
            Client.CipherSuites = clientCipherSuites;
        }
    }

    public RecordingHandler Handler { get; }

    public MemoryDatagramTransport Link { get; }

    public DtlsServerTransport Server { get; }

    public TestDtlsClient Client { get; }

    /// <summary>Starts the server and runs the blocking client handshake on a thread of its own.</summary>
    public Task<DtlsTransport> ConnectAsync()
    {
        Server.Start();
        return Task.Factory.StartNew(
            () => new DtlsClientProtocol().Connect(Client, Link), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public async Task<DtlsTransport> ConnectedAsync()
    {
        var client = await ConnectAsync().WaitAsync(Patience);
        await Handler.Connected.Task.WaitAsync(Patience);
        return client;
    }

    public static byte[] Receive(DtlsTransport client)
    {
        var buffer = new byte[client.GetReceiveLimit()];
        var length = client.Receive(buffer, 0, buffer.Length, (int)Patience.TotalMilliseconds);
        Assert.True(length >= 0, "no application data reached the client");
        return buffer[..length];
    }

    public void Dispose() => Server.Dispose();
}
