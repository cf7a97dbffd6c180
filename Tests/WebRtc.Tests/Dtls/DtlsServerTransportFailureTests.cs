using Org.BouncyCastle.Tls;

namespace Ticker.WebRtc.Tests.Dtls;

/// <summary>Hostile or broken peers: each ends (or leaves untouched) one transport with a reason, never the process.</summary>
public sealed class DtlsServerTransportFailureTests
{
    [Fact]
    public async Task Handshake_ClientCertificateNotTheOfferedOne_ClosesWithFingerprintReasonAndAlertsClient()
    {
        using var pair = new DtlsTestPair(offeredFingerprint: DtlsTestPair.ServerCertificate.Sha256Fingerprint);

        var connecting = pair.ConnectAsync();

        var reason = await pair.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience);
        Assert.Contains("fingerprint", reason, StringComparison.Ordinal);
        var alert = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => connecting.WaitAsync(DtlsTestPair.Patience));
        Assert.Equal(AlertDescription.bad_certificate, alert.AlertDescription);
        Assert.False(pair.Server.IsConnected);
        Assert.False(pair.Handler.Connected.Task.IsCompleted);
    }

    [Fact]
    public async Task Handshake_ClientWithoutCertificate_ClosesAndAlertsClient()
    {
        using var pair = new DtlsTestPair(clientHasCertificate: false);

        var connecting = pair.ConnectAsync();

        var reason = await pair.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience);
        Assert.Contains("no certificate", reason, StringComparison.Ordinal);
        var alert = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => connecting.WaitAsync(DtlsTestPair.Patience));
        Assert.Equal(AlertDescription.handshake_failure, alert.AlertDescription);
        Assert.False(pair.Server.IsConnected);
    }

    [Fact]
    public async Task Handshake_ClientOffersOnlyUnsupportedSuites_ClosesWithHandshakeFailure()
    {
        using var pair = new DtlsTestPair(clientCipherSuites: [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]);

        var connecting = pair.ConnectAsync();

        var reason = await pair.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience);
        Assert.StartsWith("handshake failed: handshake_failure", reason, StringComparison.Ordinal);
        var alert = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => connecting.WaitAsync(DtlsTestPair.Patience));
        Assert.Equal(AlertDescription.handshake_failure, alert.AlertDescription);
    }

    [Fact]
    public async Task Handshake_ClientNeverSpeaks_ClosesWithTimeout()
    {
        using var pair = new DtlsTestPair(handshakeTimeout: TimeSpan.FromMilliseconds(100));

        pair.Server.Start();

        var reason = await pair.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience);
        Assert.StartsWith("handshake timed out", reason, StringComparison.Ordinal);
        Assert.Equal(0, pair.Handler.MaxDatagramSize); // nothing was ever sent to the silent peer
    }

    [Fact]
    public async Task Garbage_BeforeDuringAndAfterHandshake_IsDroppedAndTrafficStillFlows()
    {
        using var pair = new DtlsTestPair();
        var random = new Random(7);
        pair.Server.Start();
        foreach (var junk in Garbage(random))
        {
            pair.Server.Enqueue(junk);
        }
        // During: every client datagram is followed by junk and by a truncated copy of itself.
        pair.Link.Outbound = datagram =>
        {
            pair.Server.Enqueue(datagram);
            pair.Server.Enqueue(datagram.AsSpan(0, datagram.Length / 2));
            foreach (var junk in Garbage(random).Take(3))
            {
                pair.Server.Enqueue(junk);
            }
        };

        var client = await Task.Factory.StartNew(
            () => new DtlsClientProtocol().Connect(pair.Client, pair.Link), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).WaitAsync(DtlsTestPair.Patience);
        await pair.Handler.Connected.Task.WaitAsync(DtlsTestPair.Patience);
        foreach (var junk in Garbage(random))
        {
            pair.Server.Enqueue(junk);
        }

        client.Send([1, 2, 3], 0, 3);
        Assert.Equal([1, 2, 3], pair.Handler.NextReceived());
        Assert.True(pair.Server.Send([4, 5]));
        Assert.Equal([4, 5], DtlsTestPair.Receive(client));
        Assert.Equal(0, pair.Handler.ClosedCount);
        Assert.True(pair.Server.IsConnected);
    }

    [Fact]
    public async Task Receive_RecordWithBadAuthenticationTag_IsDroppedAndSessionSurvives()
    {
        using var pair = new DtlsTestPair();
        var client = await pair.ConnectedAsync();
        pair.Link.Outbound = datagram =>
        {
            // RFC 6347 §4.1.2.7: invalid records are discarded. The forgery carries the genuine sequence
            // number, so this also shows a failed record does not advance the replay window.
            var forged = datagram.ToArray();
            forged[^1] ^= 0x01;
            pair.Server.Enqueue(forged);
            pair.Server.Enqueue(datagram);
        };

        client.Send([10, 20, 30], 0, 3);
        client.Send([40], 0, 1);

        Assert.Equal([10, 20, 30], pair.Handler.NextReceived());
        Assert.Equal([40], pair.Handler.NextReceived());
        Assert.Equal(0, pair.Handler.ClosedCount);
        Assert.True(pair.Server.Send([50]));
        Assert.Equal([50], DtlsTestPair.Receive(client));
    }

    [Fact]
    public async Task Handshake_ServerFinishedLostWhileServerSends_RetransmissionCompletesTheHandshake()
    {
        using var pair = new DtlsTestPair();
        var dropped = 0;
        var serverDatagrams = new List<byte[]>();
        byte[] marker = [0x5E, 0xC7, 0xE7, 0x00, 0x5E, 0xC7, 0xE7, 0x01, 0x5E, 0xC7, 0xE7, 0x02];
        pair.Handler.Forward = datagram =>
        {
            lock (serverDatagrams)
            {
                serverDatagrams.Add(datagram.ToArray());
            }
            // The server's Finished: the first handshake record in epoch 1. Losing it makes the client resend
            // its last flight, and the server answer by resending its own (RFC 6347 §4.2.4) from the receive
            // thread, while application sends race on another thread.
            var isFinished = datagram.Length > 13 && datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 1;
            if (isFinished && Interlocked.Exchange(ref dropped, 1) == 0)
            {
                return;
            }

            pair.Link.Deliver(datagram);
        };

        var connecting = pair.ConnectAsync();
        await pair.Handler.Connected.Task.WaitAsync(DtlsTestPair.Patience);
        var sender = Task.Factory.StartNew(
            () =>
            {
                while (!connecting.IsCompleted)
                {
                    pair.Server.Send(marker);
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var client = await connecting.WaitAsync(DtlsTestPair.Patience);
        await sender.WaitAsync(DtlsTestPair.Patience);

        Assert.Equal(1, dropped);
        Assert.True(pair.Server.Send([8]));
        byte[] received;
        do
        {
            received = DtlsTestPair.Receive(client);
        }
        while (received.AsSpan().SequenceEqual(marker));
        Assert.Equal([8], received);
        Assert.Equal(0, pair.Handler.ClosedCount);
        // Sent mid-retransmission without the transport's lock, a record could leave in the epoch-0 (plaintext)
        // write state as a bogus handshake record; the race window is small, so this catches it only sometimes.
        lock (serverDatagrams)
        {
            Assert.DoesNotContain(serverDatagrams, datagram => datagram.AsSpan().IndexOf(marker) >= 0);
        }
    }

    [Fact]
    public async Task TwoTransports_OneFailsAndOneIsFlooded_TheOtherIsUnaffected()
    {
        using var good = new DtlsTestPair();
        using var bad = new DtlsTestPair(offeredFingerprint: DtlsTestPair.ServerCertificate.Sha256Fingerprint);
        using var other = new DtlsTestPair();

        var badConnecting = bad.ConnectAsync();
        var clients = await Task.WhenAll(good.ConnectedAsync(), other.ConnectedAsync());
        await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => badConnecting.WaitAsync(DtlsTestPair.Patience));
        foreach (var junk in Garbage(new Random(3)))
        {
            other.Server.Enqueue(junk);
        }

        other.Server.Dispose();

        clients[0].Send([1], 0, 1);
        Assert.True(good.Server.Send([2]));

        Assert.Equal([1], good.Handler.NextReceived());
        Assert.Equal([2], DtlsTestPair.Receive(clients[0]));
        Assert.Equal(0, good.Handler.ClosedCount);
        Assert.Contains("fingerprint", await bad.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience), StringComparison.Ordinal);
        Assert.Equal("disposed", await other.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience));
    }

    /// <summary>Random datagrams with DTLS-range first bytes (RFC 7983), including truncated record headers.</summary>
    private static IEnumerable<byte[]> Garbage(Random random)
    {
        yield return [22];
        yield return [22, 0xFE, 0xFD, 0, 0];
        yield return [23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0x03, 0xE8, 1, 2, 3]; // claims 1000 bytes, has 3
        yield return [20, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0x99, 0, 1, 1]; // a stray epoch-0 ChangeCipherSpec
        yield return [25, 0xFE, 0xFD, 0, 5, 0, 0, 0, 0, 0, 1, 0, 1, 0]; // connection-id record, no connection ids
        for (var i = 0; i < 20; i++)
        {
            var junk = new byte[random.Next(1, 1400)];
            random.NextBytes(junk);
            junk[0] = (byte)random.Next(20, 64);
            yield return junk;
        }
    }
}
