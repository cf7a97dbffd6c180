using System.Text;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>
/// Long-term credentials (RFC 8489 §9.2): static users and REST-API ephemeral users. Yields the
/// 16-byte key MD5(username:realm:password) for the username.
/// </summary>
internal sealed class CredentialStore
{
    private readonly Dictionary<string, byte[]> _staticKeys = new(StringComparer.Ordinal);
    private readonly string? _secret;
    private readonly string _realm;
    private readonly TimeProvider _time;

    public CredentialStore(TurnRelayOptions options, TimeProvider time)
    {
        _secret = string.IsNullOrEmpty(options.StaticAuthSecret) ? null : options.StaticAuthSecret;
        _realm = options.Realm;
        _time = time;
        foreach (var (name, password) in options.Users)
        {
            var key = new byte[StunIntegrity.LongTermKeyLength];
            if (password.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && password.Length == 34)
            {
                key = Convert.FromHexString(password.AsSpan(2));
            }
            else
            {
                StunIntegrity.ComputeLongTermKey(name, _realm, password, key);
            }
            _staticKeys[name] = key;
        }
    }

    public string Realm => _realm;

    public bool TryGetKey(string username, Span<byte> key)
    {
        if (_secret is not null && TurnRestCredentials.TryGetExpiry(username, out var expiry))
        {
            if (expiry < _time.GetUtcNow())
            {
                return false;
            }
            StunIntegrity.ComputeLongTermKey(username, _realm, TurnRestCredentials.ComputePassword(_secret, username), key);
            return true;
        }
        if (_staticKeys.TryGetValue(username, out var stored))
        {
            stored.CopyTo(key);
            return true;
        }
        return false;
    }

    public static bool TryDecodeUsername(ReadOnlySpan<byte> raw, out string username)
    {
        username = string.Empty;
        // RFC 8489 §14.3: fewer than 509 bytes.
        if (raw.Length is 0 or > 508)
        {
            return false;
        }
        try
        {
            username = new UTF8Encoding(false, true).GetString(raw);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
