using System.Diagnostics;

namespace Ticker.Benchmarks;

/// <summary>The hub as the benchmarks run it: the Release build in a process of its own, against a bench database.</summary>
internal static class BenchHub
{
    /// <summary>The hub's Release build; <c>BENCH_HUB_DLL</c> names another (e.g. a copy built before a change, for before/after runs).</summary>
    public static string Dll => Environment.GetEnvironmentVariable("BENCH_HUB_DLL") is { Length: > 0 } dll
        ? dll
        : Path.Combine(Testing.RepositoryRoot.Path, "PushHub/bin/Release/net10.0/Ticker.PushHub.dll");

    /// <summary>
    /// Starts the hub with <paramref name="args"/>; its output is read (so it never blocks on a full pipe) and
    /// handed line by line to <paramref name="output"/>, or dropped.
    /// </summary>
    public static Process Start(string connectionString, IEnumerable<string> args, Action<string>? output = null)
    {
        var start = new ProcessStartInfo("dotnet", [Dll, .. args]) { RedirectStandardOutput = true };
        start.Environment["ConnectionStrings__Ticker"] = connectionString;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                output?.Invoke(line.Data);
            }
        };
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>Waits (up to <paramref name="seconds"/>, a minute by default) for <c>/healthz</c> (ready) on <paramref name="port"/>.</summary>
    public static async Task WaitHealthyAsync(int port, int seconds = 60)
    {
        using var http = new HttpClient();
        for (var i = 0; i < seconds * 10; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the hub on port {port} did not come up within {seconds} s");
    }
}
