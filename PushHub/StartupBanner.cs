using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Ticker.PushHub;

internal static class StartupBanner
{
    /// <summary>Prints where the service listens, so `make run` ends with a URL to open.</summary>
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Console.WriteLine($"Ticker is running: dashboard {address}/   health {address}/healthz   API {address}/api/quotes");
        }
    }
}
