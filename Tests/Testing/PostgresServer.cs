using System.Diagnostics;
using Npgsql;

namespace Ticker.Testing;

/// <summary>
/// The real PostgreSQL server the tests use: the one <c>ConnectionStrings__Ticker</c> names, or else
/// the project-local cluster, started (or reused) through <c>Database/local-cluster.sh</c>.
/// A server that cannot be reached fails the tests; nothing is skipped.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Started = new(StartAsync);

    /// <summary>A connection string to the server's maintenance database.</summary>
    public static Task<string> AdminConnectionStringAsync() => Started.Value;

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Ticker");
        var connectionString = string.IsNullOrWhiteSpace(configured) ? await StartLocalClusterAsync() : configured;
        return new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
    }

    private static Task<string> StartLocalClusterAsync() => RunClusterScriptAsync("start", directory: null);

    /// <summary>
    /// Runs <c>Database/local-cluster.sh</c> (start, stop) on the default cluster or, with a
    /// <paramref name="directory"/>, on a private cluster of its own there; returns its stdout.
    /// </summary>
    public static async Task<string> RunClusterScriptAsync(string command, string? directory)
    {
        var script = Path.Combine(RepositoryRoot.Path, "Database", "local-cluster.sh");
        var start = new ProcessStartInfo("bash", [script, command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (directory is not null)
        {
            start.Environment["TICKER_PG_DIR"] = directory;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {command} failed ({process.ExitCode}): {await errors}");
        }

        return (await output).Trim();
    }
}
