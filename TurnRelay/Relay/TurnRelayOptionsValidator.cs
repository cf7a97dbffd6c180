using System.Net;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay.Relay;

namespace Ticker.TurnRelay;

/// <summary>Fails at start with a message naming the bad setting.</summary>
internal sealed class TurnRelayOptionsValidator : IValidateOptions<TurnRelayOptions>
{
    public ValidateOptionsResult Validate(string? name, TurnRelayOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Turn:Port must be 0-65535 (0: any free port) (was {options.Port}).");
        }
        if (options.TlsPort is < 0 or > 65535)
        {
            errors.Add($"Turn:TlsPort must be 0-65535 (was {options.TlsPort}).");
        }
        if (options.MinPort is < 1 or > 65535 || options.MaxPort is < 1 or > 65535 || options.MinPort > options.MaxPort)
        {
            errors.Add($"Turn:MinPort/MaxPort must satisfy 1 <= MinPort <= MaxPort <= 65535 (were {options.MinPort}, {options.MaxPort}).");
        }
        if (string.IsNullOrWhiteSpace(options.Realm))
        {
            errors.Add("Turn:Realm must not be empty.");
        }
        if (options.Enabled && options.Users.Count == 0 && string.IsNullOrEmpty(options.StaticAuthSecret))
        {
            errors.Add("Turn: configure Turn:Users or Turn:StaticAuthSecret; the relay does not run without authentication.");
        }
        foreach (var (key, value) in new[] { ("ListeningIp", options.ListeningIp), ("RelayIp", options.RelayIp) })
        {
            foreach (var ip in AddressList.Split(value))
            {
                if (!IPAddress.TryParse(ip, out _))
                {
                    errors.Add($"Turn:{key}: '{ip}' is not an IP address.");
                }
            }
        }
        foreach (var ip in AddressList.Split(options.ExternalIp))
        {
            var parts = ip.Split('/');
            if (parts.Length > 2 || parts.Any(p => !IPAddress.TryParse(p, out _)))
            {
                errors.Add($"Turn:ExternalIp: '{ip}' is not 'public' or 'public/private'.");
            }
        }
        foreach (var (key, list) in new[] { ("AllowedPeerIps", options.AllowedPeerIps), ("DeniedPeerIps", options.DeniedPeerIps) })
        {
            foreach (var range in list)
            {
                if (!IpRange.TryParse(range, out _))
                {
                    errors.Add($"Turn:{key}: '{range}' is not an address, 'a-b' range or CIDR block.");
                }
            }
        }
        foreach (var endpoint in options.AllowedPeerEndpoints)
        {
            if (!PeerPolicy.TryParseEndpoint(endpoint, out _))
            {
                errors.Add($"Turn:AllowedPeerEndpoints: '{endpoint}' is not 'ip:port' or '[ipv6]:port' with a port 1-65535.");
            }
        }
        if (options.UserQuota < 0 || options.TotalQuota < 0 || options.MaxPermissionsPerAllocation < 1)
        {
            errors.Add("Turn:UserQuota/TotalQuota must be >= 0 and Turn:MaxPermissionsPerAllocation >= 1.");
        }
        if (options.StaleNonce < 1 || options.MaxAllocateLifetime < 60 || options.DefaultAllocateLifetime < 60)
        {
            errors.Add("Turn:StaleNonce must be >= 1 and Turn:Max/DefaultAllocateLifetime >= 60 seconds.");
        }
        if ((options.TlsCertificateFile is null) != (options.TlsPrivateKeyFile is null))
        {
            errors.Add("Turn:TlsCertificateFile and Turn:TlsPrivateKeyFile go together.");
        }
        if (options.UdpReceiveLoops is < 1 or > 64)
        {
            errors.Add("Turn:UdpReceiveLoops must be 1-64.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
