// Standalone entry point of the TURN relay; the server itself is built in issue 5.
Console.Error.WriteLine("ticker-turn: not built yet");
return 1;
