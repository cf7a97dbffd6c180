using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay;
using Ticker.TurnRelay.Cli;

namespace Ticker.TurnRelay;

// A class with Main rather than top-level statements: the generated Program class is public and
// would collide with the hub's Program wherever both assemblies are referenced. This executable
// only parses coturn's command line and hosts the relay library (Relay/); the hub references that
// library, never this executable.
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Standalone STUN/TURN relay: coturn's option names mapped onto TurnRelayOptions (docs/turn.md).

        // Relay work per datagram is short and never blocks, so run socket continuations on the epoll
        // thread instead of hopping to the thread pool: about half the CPU per relayed datagram
        // (docs/benchmarks.md, section TURN relay). Must be set before the first socket exists; an explicit value wins.
        const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
        var commandLine = CoturnCommandLine.Parse(args);
        if (commandLine.Help)
        {
            Console.WriteLine(CoturnCommandLine.Usage);
            return 0;
        }
        if (commandLine.Error is not null)
        {
            await Console.Error.WriteLineAsync($"ticker-turn: {commandLine.Error}");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(commandLine.Settings.Values);
        builder.Configuration["Turn:Enabled"] = "true";
        builder.Logging.SetMinimumLevel(commandLine.Settings.Verbosity switch { 0 => LogLevel.Information, 1 => LogLevel.Debug, _ => LogLevel.Trace });
        if (commandLine.Settings.LogFile is { } logFile && logFile != "stdout")
        {
            builder.Logging.AddProvider(new FileLoggerProvider(logFile));
        }
        builder.AddTurnRelay();

        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ticker.TurnRelay");
        foreach (var warning in commandLine.Warnings)
        {
#pragma warning disable CA1848, CA2254 // Start-up warnings, once each.
            logger.LogWarning(warning);
#pragma warning restore CA1848, CA2254
        }
        var pidFile = commandLine.Settings.PidFile;
        try
        {
            await host.StartAsync();
            if (pidFile is not null)
            {
                await File.WriteAllTextAsync(pidFile, Environment.ProcessId + Environment.NewLine);
            }
            await host.WaitForShutdownAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"ticker-turn: {string.Join(Environment.NewLine, e.Failures)}");
            return 2;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await Console.Error.WriteLineAsync($"ticker-turn: cannot listen: {e.Message}");
            return 1;
        }
        finally
        {
            if (pidFile is not null)
            {
                File.Delete(pidFile);
            }
        }
    }
}
