using System.Diagnostics;
using System.Net.Sockets;

namespace Ticker.Testing;

/// <summary>
/// A real nats-server with JetStream, started by the test on a free loopback port with its store in a
/// temporary directory (removed on dispose). <see cref="StopAsync"/> and <see cref="StartAsync"/>
/// restart it on the same port and store, as an outage would.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    private readonly string _storeDirectory = Directory.CreateTempSubdirectory("ticker-nats-").FullName;
    private Process? _process;

    private NatsServer(int port) => Port = port;

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<NatsServer> StartNewAsync()
    {
        var server = new NatsServer(FreePorts.UdpAndTcp());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("nats-server", ["-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-sd", _storeDirectory])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start nats-server (make deps installs it)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
                return;
            }
            catch (SocketException) when (!_process.HasExited)
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"nats-server exited with {_process.ExitCode} on port {Port}");
            }
        }
    }

    /// <summary>Kills the server (no goodbye to its clients), keeping its store for the next start.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_storeDirectory, recursive: true);
    }
}
