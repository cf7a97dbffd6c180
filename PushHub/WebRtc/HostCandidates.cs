using System.Net;
using System.Net.NetworkInformation;

namespace Ticker.PushHub.WebRtc;

/// <summary>The addresses the hub offers as ICE host candidates (advertised ones first).</summary>
public static class HostCandidates
{
    public static IReadOnlyList<IPAddress> Addresses(WebRtcOptions options)
    {
        var advertised = options.AdvertisedAddresses.Select(IPAddress.Parse);
        if (options.AdvertiseOnly)
        {
            return advertised.ToList();
        }

        var listen = IPAddress.Parse(options.ListenAddress);
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return advertised.Append(listen).Distinct().ToList();
        }

        // Bound to every interface: offer each usable address of the listening family, loopback last
        // (a browser on this machine reaches it; one elsewhere never does, and tries the others first).
        var local = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == listen.AddressFamily && !a.IsIPv6LinkLocal && !IsIPv4LinkLocal(a))
            .OrderBy(IPAddress.IsLoopback);
        return advertised.Concat(local).Distinct().ToList();
    }

    // 169.254/16 (RFC 3927): never routed beyond the link, and what an interface has before DHCP answers.
    private static bool IsIPv4LinkLocal(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, ..];
}
