using System.Net;
using Microsoft.Extensions.Options;

namespace Ticker.PushHub.Identity;

/// <summary>The start-up banner's identity line, and the warning for an open hub reachable beyond loopback.</summary>
internal static class IdentityBanner
{
    public static void Print(WebApplication app, IEnumerable<string> addresses)
    {
        var mode = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Mode;
        if (mode == AuthMode.Jwt)
        {
            Console.WriteLine("Ticker identity: jwt (Auth:Mode=jwt): every connection presents a token; see docs/security.md");
            return;
        }

        Console.WriteLine("Ticker identity: OPEN (Auth:Mode=none): anyone who reaches this hub may subscribe to every symbol");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ticker.PushHub.Identity");
        foreach (var address in addresses.Where(a => !IsLoopback(a)))
        {
            PushLog.OpenBeyondLoopback(logger, address);
        }
    }

    private static bool IsLoopback(string address)
    {
        var host = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal)).Host;
        return host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
