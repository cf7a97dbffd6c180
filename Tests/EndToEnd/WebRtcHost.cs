using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Ticker.Testing;

namespace Ticker.EndToEnd;

/// <summary>
/// The seeded hub with its bundled TURN relay on, on free ports of its own: browsers reach the data
/// channel directly or, relay-only, through the relay, which lets exactly the hub's ICE port through.
/// </summary>
public sealed class WebRtcHost : DashboardHost
{
    public int TurnPort { get; } = FreePorts.UdpAndTcp();

    public int WebRtcPort { get; } = FreePorts.UdpAndTcp();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("WebRtc:Port", WebRtcPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Turn:Enabled", "true");
        builder.UseSetting("Turn:Port", TurnPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Turn:ListeningIp", "127.0.0.1");
    }
}
