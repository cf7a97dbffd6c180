using System.Diagnostics;
using System.Text;
using Ticker.Testing;

namespace Ticker.PushHub.Tests;

/// <summary>
/// The hub as an operator runs it: the real executable in a process of its own, on loopback ports
/// of its own, so a test can send it signals and watch it exit.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private HubProcess(Process process, int port, int grpcPort)
    {
        _process = process;
        Port = port;
        GrpcPort = grpcPort;
    }

    public int Port { get; }

    public int GrpcPort { get; }

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/ws");

    public Uri HttpUri => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    /// <summary>Everything the hub wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the hub built beside the tests (or <paramref name="executable"/>, e.g. a published one) with
    /// <paramref name="args"/>. With <paramref name="namedEndpoints"/> its two ports are Kestrel endpoints
    /// <c>Http</c> and <c>Grpc</c> (Kestrel:Endpoints replaces --urls), so a test can add more, such as HTTPS.
    /// </summary>
    public static HubProcess Start(string connectionString, IEnumerable<string> args, string? executable = null, bool namedEndpoints = false,
        (int Http, int Grpc)? ports = null)
    {
        var (port, grpcPort) = ports ?? (FreePorts.UdpAndTcp(), FreePorts.UdpAndTcp());
        List<string> listen = namedEndpoints
            ? [$"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{port}", $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpcPort}"]
            : ["--urls", $"http://127.0.0.1:{port};http://127.0.0.1:{grpcPort}"];
        var arguments = new List<string>
        {
            $"--Hub:GrpcPort={grpcPort}",
            "--Feed:Enabled=false", "--Turn:Enabled=false", "--WebRtc:Port=0", "--WebRtc:ListenAddress=127.0.0.1",
        };
        arguments.InsertRange(0, listen);
        arguments.AddRange(args);
        var start = executable is null
            ? new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Ticker.PushHub.dll"), .. arguments])
            : new ProcessStartInfo(executable, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["ConnectionStrings__Ticker"] = connectionString;
        var process = Process.Start(start)!;
        var hub = new HubProcess(process, port, grpcPort);
        process.OutputDataReceived += (_, e) => hub.Append(e.Data);
        process.ErrorDataReceived += (_, e) => hub.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hub;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Waits (at most a minute: a failure, never a timing assertion) for <c>/healthz/ready</c>.</summary>
    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 600 && !_process.HasExited; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(HttpUri, "/healthz/ready"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the hub did not become ready:\n{Output}");
    }

    /// <summary>SIGTERM, as systemd, Kubernetes and docker stop send it.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>kill -9: no goodbye of any kind.</summary>
    public void KillHard() => _process.Kill();

    public async Task<bool> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
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
