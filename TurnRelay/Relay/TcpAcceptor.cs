using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>Accepts TCP (or TLS, with a certificate) connections and runs each as a <see cref="StreamConnection"/>.</summary>
internal sealed class TcpAcceptor : IDisposable
{
    private readonly Socket _socket;
    private readonly TurnServer _server;
    private readonly X509Certificate2? _certificate;
    private int _connections;

    public TcpAcceptor(TurnServer server, IPEndPoint endPoint, X509Certificate2? certificate)
    {
        _server = server;
        _certificate = certificate;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = false;
        }
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(endPoint);
            _socket.Listen(512);
        }
        catch (SocketException)
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public TransportKind Kind => _certificate is null ? TransportKind.Tcp : TransportKind.Tls;

    public async Task RunAsync(CancellationToken stopping)
    {
        var running = new List<Task>();
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }
            if (Interlocked.Increment(ref _connections) > _server.Options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                continue;
            }
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(() => ServeAsync(client, stopping), CancellationToken.None));
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        try
        {
            client.NoDelay = true;
            Stream stream = new NetworkStream(client, ownsSocket: false);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                handshake.CancelAfter(TimeSpan.FromSeconds(10));
                try
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, handshake.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                {
                    await tls.DisposeAsync().ConfigureAwait(false);
                    client.Dispose();
                    return;
                }
                stream = tls;
            }
            var local = StunTransportAddress.FromEndPoint((IPEndPoint)client.LocalEndPoint!);
            var connection = new StreamConnection(_server, client, stream, Kind, local);
            await connection.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            client.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    public void Dispose() => _socket.Dispose();
}
