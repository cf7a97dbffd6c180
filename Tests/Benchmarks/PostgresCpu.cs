using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;

namespace Ticker.Benchmarks;

/// <summary>
/// CPU time of the processes of a PostgreSQL server on this machine, read from <c>/proc/&lt;pid&gt;/stat</c>
/// (utime + stime, in clock ticks): every child of the postmaster, and the postmaster itself with the
/// children it has reaped — so a backend that ends between two samples is still counted, under the
/// postmaster's pid.
/// </summary>
internal sealed class PostgresCpu
{
    private readonly int _postmaster;

    private PostgresCpu(int postmaster, double ticksPerSecond)
    {
        _postmaster = postmaster;
        TicksPerSecond = ticksPerSecond;
    }

    /// <summary>Clock ticks per second (<c>getconf CLK_TCK</c>, 100 on Linux as a rule).</summary>
    public double TicksPerSecond { get; }

    /// <summary>The server <paramref name="dataSource"/> connects to; it must run on this machine.</summary>
    public static async Task<PostgresCpu> OfAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var backend = await connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()");
        var stat = Read(backend) ?? throw new InvalidOperationException($"no /proc/{backend}/stat: is PostgreSQL on this machine?");
        return new PostgresCpu((int)stat.Parent, await ClockTicksAsync());
    }

    /// <summary>CPU clock ticks used so far by each of the server's processes, by pid.</summary>
    public Dictionary<int, long> Sample()
    {
        var sample = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || Read(pid) is not { } stat)
            {
                continue;
            }

            if (pid == _postmaster)
            {
                sample[pid] = stat.Own + stat.Reaped;
            }
            else if (stat.Parent == _postmaster)
            {
                sample[pid] = stat.Own;
            }
        }

        return sample;
    }

    private static (long Parent, long Own, long Reaped)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // the process ended meanwhile
        }

        // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
        // There fields[0] is field 3 of proc(5); ppid is 4, utime 14, stime 15, cutime 16, cstime 17.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture);
        return (Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }

    private static async Task<double> ClockTicksAsync()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
        var output = await getconf.StandardOutput.ReadToEndAsync();
        await getconf.WaitForExitAsync();
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
