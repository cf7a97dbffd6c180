using Ticker.PushHub.WebRtc.Dtls;

namespace Ticker.WebRtc.Tests.Dtls;

/// <summary>Start, close and dispose in every order: OnClosed exactly once, the peer told when it can be.</summary>
public sealed class DtlsServerTransportLifecycleTests
{
    [Fact]
    public async Task Dispose_Connected_ClientReceivesCloseNotify()
    {
        using var pair = new DtlsTestPair();
        var client = await pair.ConnectedAsync();

        pair.Server.Dispose();

        // The client's record layer answers close_notify by closing its link, which ends its Receive.
        Assert.ThrowsAny<IOException>(() => client.Receive(new byte[1500], 0, 1500, (int)DtlsTestPair.Patience.TotalMilliseconds));
        Assert.True(pair.Client.CloseNotifyReceived.Task.IsCompleted);
        Assert.Equal("disposed", await pair.Handler.Closed.Task);
        Assert.Equal(1, pair.Handler.ClosedCount);
        Assert.False(pair.Server.IsConnected);
        Assert.False(pair.Server.Send([1]));
    }

    [Fact]
    public async Task ClientCloses_ServerReportsCloseNotifyOnce()
    {
        using var pair = new DtlsTestPair();
        var client = await pair.ConnectedAsync();

        client.Close();

        Assert.Equal("peer sent close_notify", await pair.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience));
        pair.Server.Dispose();
        Assert.Equal(1, pair.Handler.ClosedCount);
        Assert.False(pair.Server.Send([1]));
    }

    [Fact]
    public async Task Dispose_DuringHandshake_ReportsDisposedOnce()
    {
        using var pair = new DtlsTestPair();
        pair.Server.Start();

        pair.Server.Dispose();
        pair.Server.Dispose();

        Assert.Equal("disposed", await pair.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience));
        Assert.Equal(1, pair.Handler.ClosedCount);
    }

    [Fact]
    public async Task Dispose_BeforeStart_ReportsClosedOnceAndStartThrows()
    {
        using var pair = new DtlsTestPair();

        pair.Server.Dispose();

        Assert.Equal("disposed before start", await pair.Handler.Closed.Task);
        Assert.Throws<InvalidOperationException>(pair.Server.Start);
        Assert.Equal(1, pair.Handler.ClosedCount);
    }

    [Fact]
    public void Enqueue_BeyondTheBound_DropsAndCountsWithoutBlocking()
    {
        using var pair = new DtlsTestPair();
        var clientHello = new byte[64];
        clientHello[0] = 22; // handshake record, epoch 0, client_hello: admitted before the handshake
        clientHello[13] = 1;

        // Not started: nothing drains the queue.
        for (var i = 0; i < 300; i++)
        {
            pair.Server.Enqueue(clientHello);
        }

        pair.Server.Enqueue([23, 0xFE, 0xFD]);

        Assert.Equal(300 - 256 + 1, pair.Server.DroppedDatagrams);
    }

    [Fact]
    public async Task Handler_ThrowsOnApplicationData_ClosesWithReasonInsteadOfCrashing()
    {
        using var pair = new DtlsTestPair();
        var client = await pair.ConnectedAsync();
        pair.Handler.ThrowOnData = true;

        client.Send([1], 0, 1);

        var reason = await pair.Handler.Closed.Task.WaitAsync(DtlsTestPair.Patience);
        Assert.Contains(nameof(InvalidOperationException), reason, StringComparison.Ordinal);
        Assert.False(pair.Server.IsConnected);
    }

    [Fact]
    public void Constructor_MalformedOfferedFingerprint_Throws()
    {
        var handler = new RecordingHandler();

        Assert.Throws<ArgumentException>(() => new DtlsServerTransport(
            DtlsTestPair.ServerCertificate, "AB:CD", handler, TimeSpan.FromSeconds(1)));
    }
}
