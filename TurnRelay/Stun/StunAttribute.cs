namespace Ticker.TurnRelay.Stun;

/// <summary>One attribute of a message, a view over the message buffer.</summary>
public readonly ref struct StunAttribute(ushort type, ReadOnlySpan<byte> value, int offset)
{
    public ushort Type { get; } = type;

    public ReadOnlySpan<byte> Value { get; } = value;

    /// <summary>Offset of the attribute header from the start of the message.</summary>
    public int Offset { get; } = offset;
}
