using System.Diagnostics;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>HAProxy run with docs/haproxy.cfg, the sample configuration, in front of up to three hubs on loopback.</summary>
internal sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HaproxyProcess(Process process, int port, int grpcPort)
    {
        _process = process;
        Port = port;
        GrpcPort = grpcPort;
    }

    public static string ConfigPath => Path.Combine(RepositoryRoot.Path, "docs", "haproxy.cfg");

    public int Port { get; }

    public int GrpcPort { get; }

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/ws");

    /// <summary>Starts HAProxy for hubs listening on <paramref name="hubs"/> (HTTP, gRPC); missing servers are never up.</summary>
    public static HaproxyProcess Start(IReadOnlyList<(int Http, int Grpc)> hubs)
    {
        var (port, grpcPort) = (FreePorts.UdpAndTcp(), FreePorts.UdpAndTcp());
        var start = new ProcessStartInfo("haproxy", ["-db", "-f", ConfigPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TICKER_BIND"] = $"127.0.0.1:{port}";
        start.Environment["TICKER_GRPC_BIND"] = $"127.0.0.1:{grpcPort}";
        var nowhere = FreePorts.UdpAndTcp();
        for (var i = 0; i < 3; i++)
        {
            var (http, grpc) = i < hubs.Count ? hubs[i] : (nowhere, nowhere);
            start.Environment[$"TICKER_HUB{i + 1}"] = $"127.0.0.1:{http}";
            start.Environment[$"TICKER_HUB{i + 1}_GRPC"] = $"127.0.0.1:{grpc}";
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("haproxy is not installed: run make deps (Debian package haproxy)", e);
        }

        process!.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HaproxyProcess(process, port, grpcPort);
    }

    /// <summary>Waits (at most a minute: a failure, never a timing assertion) until the proxy reports a ready hub.</summary>
    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/healthz/ready"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("no hub became ready behind the proxy");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
