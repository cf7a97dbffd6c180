namespace Ticker.TurnRelay;

// Namespaced (not top-level statements) so its Program does not collide with the hub's.
internal static class Program
{
    // Standalone entry point of the TURN relay; the server itself is built in issue 5.
    public static int Main()
    {
        Console.Error.WriteLine("ticker-turn: not built yet");
        return 1;
    }
}
