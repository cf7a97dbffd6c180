namespace Ticker.TurnRelay.Cli;

/// <summary>How a coturn option is handled here.</summary>
internal enum CoturnOptionKind
{
    /// <summary>Mapped onto <see cref="TurnRelayOptions"/>.</summary>
    Implemented,
    /// <summary>Accepted; this relay already behaves that way or the feature does not exist here.</summary>
    NoOp,
    /// <summary>Known to coturn, not implemented: accepted with a warning naming it.</summary>
    Warned,
}

/// <param name="Name">coturn's long name.</param>
/// <param name="Short">coturn's one-letter alias, or '\0'.</param>
/// <param name="Argument">0 flag, 1 required value, 2 optional value (only as name=value).</param>
/// <param name="Apply">Writes configuration keys for the value.</param>
internal sealed record CoturnOption(string Name, char Short, int Argument, CoturnOptionKind Kind, Action<CoturnSettings, string?>? Apply = null);
