namespace Ticker.TurnRelay.Relay;

internal static class AddressList
{
    public static string[] Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
