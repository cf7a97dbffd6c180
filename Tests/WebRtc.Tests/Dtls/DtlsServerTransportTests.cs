using Org.BouncyCastle.Tls;
using Ticker.PushHub.WebRtc.Dtls;

namespace Ticker.WebRtc.Tests.Dtls;

public sealed class DtlsServerTransportTests
{
    [Fact]
    public async Task Handshake_BrowserLikeClient_ConnectsWithEcdsaAesGcmAndCheckedFingerprints()
    {
        using var pair = new DtlsTestPair();

        await pair.ConnectedAsync();

        Assert.True(pair.Server.IsConnected);
        Assert.Equal(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, pair.Server.NegotiatedCipherSuite);
        Assert.Equal(DtlsTestPair.ServerCertificate.Sha256Fingerprint, pair.Client.ServerFingerprint);
        Assert.Equal(0, pair.Handler.ClosedCount);
    }

    [Fact]
    public async Task Handshake_ClientAsksForTinyFragments_IgnoredSoSctpPacketsStillFit()
    {
        // RFC 6066 lets a server ignore max_fragment_length; honouring 512 would make every SCTP packet too big.
        using var pair = new DtlsTestPair(clientMaxFragmentLength: MaxFragmentLength.pow2_9);
        var client = await pair.ConnectedAsync();

        Assert.Equal(1163, pair.Server.MaxApplicationDataSize);
        var packet = new byte[1163];
        Random.Shared.NextBytes(packet);
        Assert.True(pair.Server.Send(packet));
        Assert.Equal(packet, DtlsTestPair.Receive(client));
    }

    [Fact]
    public async Task Send_BothWays_ArrivesByteExact()
    {
        using var pair = new DtlsTestPair();
        var client = await pair.ConnectedAsync();

        byte[] up = [0x13, 0x88, 0x13, 0x88, 1, 2, 3];
        client.Send(up, 0, up.Length);
        Assert.Equal(up, pair.Handler.NextReceived());

        byte[] down = [9, 8, 7, 0, 255];
        Assert.True(pair.Server.Send(down));
        Assert.Equal(down, DtlsTestPair.Receive(client));
    }

    [Fact]
    public async Task Send_ManyRecordsInARow_AllArriveInOrderAndEveryServerDatagramFits1200Bytes()
    {
        using var pair = new DtlsTestPair();
        var client = await pair.ConnectedAsync();
        var max = pair.Server.MaxApplicationDataSize;
        // 1200 − 13 header − 8 explicit nonce − 16 tag (RFC 5288 §3).
        Assert.Equal(1163, max);

        var records = Enumerable.Range(0, 600).Select(i => Payload(i, 1 + (i * 37 % max))).ToList();
        records.Add(Payload(600, max));
        // Bursts of 200 stay under the server's 256-datagram inbound bound, which drops beyond it by design.
        foreach (var burst in records.Chunk(200))
        {
            foreach (var record in burst)
            {
                Assert.True(pair.Server.Send(record));
                client.Send(record, 0, record.Length);
            }
            foreach (var record in burst)
            {
                Assert.Equal(record, DtlsTestPair.Receive(client));
                Assert.Equal(record, pair.Handler.NextReceived());
            }
        }
        Assert.Equal(0, pair.Server.DroppedDatagrams);
        Assert.InRange(pair.Handler.MaxDatagramSize, 1, 1200);
        Assert.Equal(0, pair.Handler.ClosedCount);
    }

    [Fact]
    public async Task Send_FromManyThreadsWhileReceiving_EveryRecordArrivesIntact()
    {
        using var pair = new DtlsTestPair();
        var client = await pair.ConnectedAsync();
        const int Threads = 4, PerThread = 50;

        var senders = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                for (var i = 0; i < PerThread; i++)
                {
                    Assert.True(pair.Server.Send(Payload((t * 1000) + i, 100 + i)));
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();
        for (var i = 0; i < 100; i++)
        {
            client.Send(Payload(-i, 10), 0, 10);
        }

        await Task.WhenAll(senders).WaitAsync(DtlsTestPair.Patience);

        var expected = Enumerable.Range(0, Threads)
            .SelectMany(t => Enumerable.Range(0, PerThread).Select(i => Convert.ToHexString(Payload((t * 1000) + i, 100 + i))))
            .Order().ToList();
        var received = Enumerable.Range(0, Threads * PerThread).Select(_ => Convert.ToHexString(DtlsTestPair.Receive(client))).Order().ToList();
        Assert.Equal(expected, received);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(Payload(-i, 10), pair.Handler.NextReceived());
        }
    }

    [Fact]
    public async Task Send_MaxDatagramSize1228_CarriesA1191ByteSctpPacketInOneRecord()
    {
        using var pair = new DtlsTestPair(maxDatagramSize: 1228);
        var client = await pair.ConnectedAsync();
        var packet = Payload(1191, 1191);

        Assert.Equal(1191, pair.Server.MaxApplicationDataSize);
        Assert.True(pair.Server.Send(packet));

        Assert.Equal(packet, DtlsTestPair.Receive(client));
        Assert.Equal(1228, pair.Handler.MaxDatagramSize);
    }

    [Fact]
    public async Task Send_LargerThanOneRecord_Throws()
    {
        using var pair = new DtlsTestPair();
        await pair.ConnectedAsync();

        Assert.Throws<ArgumentException>(() => pair.Server.Send(new byte[pair.Server.MaxApplicationDataSize + 1]));
    }

    [Fact]
    public void Send_BeforeHandshake_ReturnsFalse()
    {
        using var pair = new DtlsTestPair();
        pair.Server.Start();

        Assert.False(pair.Server.Send([1, 2, 3]));
    }

    [Fact]
    public async Task Handshake_ClientHelloFragmentedOverSeveralDatagrams_Connects()
    {
        // Chromium's ~1.4 KB ClientHello arrives in two datagrams; a 500-byte client limit forces the same.
        using var pair = new DtlsTestPair(clientSendLimit: 500, clientHelloPadding: 1250);

        var client = await pair.ConnectedAsync();

        var first = pair.Link.Sent[0];
        Assert.Equal(22, first[0]); // handshake record
        Assert.Equal(1, first[13]); // client_hello
        var messageLength = (first[14] << 16) | (first[15] << 8) | first[16];
        var fragmentLength = (first[22] << 16) | (first[23] << 8) | first[24];
        Assert.InRange(messageLength, 1200, 1600);
        Assert.True(fragmentLength < messageLength, "the ClientHello was not fragmented");
        client.Send([42], 0, 1);
        Assert.Equal([42], pair.Handler.NextReceived());
    }

    [Fact]
    public async Task Handshake_LowerCaseOfferedFingerprint_Connects()
    {
        using var pair = new DtlsTestPair(offeredFingerprint: DtlsTestPair.ClientCertificate.Sha256Fingerprint.ToLowerInvariant());

        await pair.ConnectedAsync();

        Assert.True(pair.Server.IsConnected);
    }

    private static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
