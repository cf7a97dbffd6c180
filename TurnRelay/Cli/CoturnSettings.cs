using System.Globalization;

namespace Ticker.TurnRelay.Cli;

/// <summary>Configuration keys (section "Turn") accumulated from coturn options.</summary>
internal sealed class CoturnSettings
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private int _allowed;
    private int _denied;

    public IReadOnlyDictionary<string, string?> Values => _values;

    public string? LogFile { get; set; }

    public string? PidFile { get; set; }

    public int Verbosity { get; set; }

    public void Set(string key, string? value) => _values["Turn:" + key] = value;

    public void Append(string key, string value)
    {
        var full = "Turn:" + key;
        _values[full] = _values.TryGetValue(full, out var existing) && !string.IsNullOrEmpty(existing) ? existing + "," + value : value;
    }

    public void AddUser(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException("user must be name:password");
        }
        _values["Turn:Users:" + value[..colon]] = value[(colon + 1)..];
    }

    public void AddAllowedPeer(string value) => _values[string.Create(CultureInfo.InvariantCulture, $"Turn:AllowedPeerIps:{_allowed++}")] = value;

    public void AddDeniedPeer(string value) => _values[string.Create(CultureInfo.InvariantCulture, $"Turn:DeniedPeerIps:{_denied++}")] = value;

    public static string Integer(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n.ToString(CultureInfo.InvariantCulture)
            : throw new FormatException($"'{value}' is not a number");
}
