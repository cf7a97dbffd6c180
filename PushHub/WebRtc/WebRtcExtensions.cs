using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ticker.PushHub.WebRtc;

public static class WebRtcExtensions
{
    /// <summary>WebRTC data channels (section <c>WebRtc</c>): the shared UDP port and its sessions, when enabled.</summary>
    public static IHostApplicationBuilder AddWebRtc(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebRtcOptions>().BindConfiguration(WebRtcOptions.Section).ValidateDataAnnotations()
            .Validate(o => IPAddress.TryParse(o.ListenAddress, out _), "WebRtc:ListenAddress must be an IP address.")
            .Validate(o => o.AdvertisedAddresses.All(a => IPAddress.TryParse(a, out _)), "WebRtc:AdvertisedAddresses must be IP addresses.")
            .Validate(o => !o.AdvertiseOnly || o.AdvertisedAddresses.Length > 0, "WebRtc:AdvertiseOnly needs WebRtc:AdvertisedAddresses.")
            .Validate(o => o.ConsentTimeout > TimeSpan.Zero, "WebRtc:ConsentTimeout must be positive.")
            .Validate(o => o.HandshakeTimeout > TimeSpan.Zero, "WebRtc:HandshakeTimeout must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebRtcMetrics>();
        if (builder.Configuration.GetSection(WebRtcOptions.Section).GetValue(nameof(WebRtcOptions.Enabled), true))
        {
            builder.Services.AddSingleton<WebRtcServer>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<WebRtcServer>());
        }

        return builder;
    }
}
