using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ticker.TurnRelay;

/// <summary>
/// TURN REST-API ephemeral credentials, as coturn's use-auth-secret checks them:
/// username = "&lt;expiry unix seconds&gt;:&lt;user&gt;", password = base64(HMAC-SHA1(secret, username)).
/// </summary>
public static class TurnRestCredentials
{
    public static (string Username, string Password) Create(string secret, string user, TimeSpan ttl, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(user);
        var expiry = now.Add(ttl).ToUnixTimeSeconds();
        var username = string.IsNullOrEmpty(user)
            ? expiry.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{expiry}:{user}");
        return (username, ComputePassword(secret, username));
    }

    public static string ComputePassword(string secret, string username)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(username);
        Span<byte> mac = stackalloc byte[20];
#pragma warning disable CA5350 // HMAC-SHA1 is the TURN REST-API / coturn use-auth-secret scheme.
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username), mac);
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>The expiry in a REST username ("expiry" or "expiry:user"); false when it is not one.</summary>
    public static bool TryGetExpiry(string username, out DateTimeOffset expiry)
    {
        ArgumentNullException.ThrowIfNull(username);
        expiry = default;
        var colon = username.IndexOf(':', StringComparison.Ordinal);
        var stamp = colon < 0 ? username.AsSpan() : username.AsSpan(0, colon);
        if (!long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            return false;
        }
        expiry = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
