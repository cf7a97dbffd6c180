using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Ticker.PushHub.Operations;

/// <summary>
/// Behind a reverse proxy: the client's address and scheme from <c>X-Forwarded-For</c> /
/// <c>X-Forwarded-Proto</c>, believed only from the proxies listed in <c>Hub:KnownProxies</c>
/// (none by default: a client cannot claim another address by sending the header itself). With it,
/// per-address limits count real clients, not the proxy.
/// </summary>
internal static class ProxyExtensions
{
    public static WebApplicationBuilder AddTickerProxies(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection("Hub:KnownProxies").Get<string[]>() ?? [];
        var proxies = new List<IPAddress>();
        foreach (var text in configured)
        {
            proxies.Add(IPAddress.TryParse(text, out var address)
                ? address
                : throw new InvalidOperationException($"Hub:KnownProxies: {text} is not an IP address"));
        }

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here only what is configured counts.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }
        });
        return builder;
    }

    public static WebApplication UseTickerProxies(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }
}
