using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// An inclusive range of addresses of one family. IPv6 ranges compare whole 16-byte values, so
/// ::ffff:127.0.0.1 is an IPv6 address inside ::ffff:0:0/96, never the IPv4 127.0.0.1.
/// </summary>
internal readonly record struct IpRange(AddressFamily Family, UInt128 First, UInt128 Last)
{
    public bool Contains(in StunTransportAddress address) =>
        address.Family == Family && address.Bits >= First && address.Bits <= Last;

    /// <summary>Parses "a.b.c.d", "a-b" (coturn's range form) or "prefix/bits".</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out IpRange range)
    {
        range = default;
        text = text.Trim();
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            if (!TryAddress(text[..dash], out var a) || !TryAddress(text[(dash + 1)..], out var b) || a.Family != b.Family || a.Bits > b.Bits)
            {
                return false;
            }
            range = new IpRange(a.Family, a.Bits, b.Bits);
            return true;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            if (!TryAddress(text[..slash], out var a) || !int.TryParse(text.AsSpan(slash + 1), out var bits))
            {
                return false;
            }
            var width = a.IsIPv4 ? 32 : 128;
            if (bits < 0 || bits > width)
            {
                return false;
            }
            var hostBits = width - bits;
            var hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
            range = new IpRange(a.Family, a.Bits & ~hostMask, a.Bits | hostMask);
            return true;
        }
        if (!TryAddress(text, out var single))
        {
            return false;
        }
        range = new IpRange(single.Family, single.Bits, single.Bits);
        return true;
    }

    public static IpRange Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"Not an address range: {text}");

    private static bool TryAddress(string text, out StunTransportAddress address)
    {
        address = default;
        if (!IPAddress.TryParse(text.Trim(), out var ip))
        {
            return false;
        }
        address = StunTransportAddress.FromEndPoint(new IPEndPoint(ip, 0));
        return true;
    }
}
