using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ticker.TurnRelay.Tests.Support;

/// <summary>
/// Runs the coturn Debian package's client tools as child processes with bounded timeouts. A missing
/// tool fails the test (install with `make deps`): these tests never skip.
/// </summary>
internal static class CoturnTools
{
    public static string Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }
        Assert.Fail($"{tool} not found: install the Debian package 'coturn' (make deps)");
        return tool;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Find(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout + await stderr + $"\n[killed after {timeout}]");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>turnutils_peer: a UDP echo peer on a free loopback port.</summary>
    public static (Process Process, int Port) StartEchoPeer()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var start = new ProcessStartInfo(Find("turnutils_peer")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-L", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, port);
    }
}
