using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Ticker.PushHub;

internal static class StartupBanner
{
    /// <summary>Prints where the service listens, so `make run` ends with a URL to open.</summary>
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var grpcPort = app.Configuration.GetValue("Hub:GrpcPort", 8081);
        foreach (var address in addresses)
        {
            Console.WriteLine(new Uri(address).Port == grpcPort
                ? $"Ticker gRPC (ticker.v1, HTTP/2): {address}"
                : $"Ticker is running: dashboard {address}/   WebSocket {address.Replace("http", "ws", StringComparison.Ordinal)}/ws   API {address}/api/quotes");
        }

        Identity.IdentityBanner.Print(app, addresses);
        if (app.Services.GetService<WebRtc.WebRtcServer>() is { Candidates: [var first, ..] } rtc)
        {
            Console.WriteLine($"Ticker WebRTC data channels: UDP port {first.Port} ({rtc.Candidates.Count} host candidate(s); signaling on /ws)");
        }
    }
}
