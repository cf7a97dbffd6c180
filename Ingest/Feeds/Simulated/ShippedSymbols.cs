namespace Ticker.Ingest.Feeds.Simulated;

/// <summary>The symbol directory of the simulated universe, <c>symbols.csv</c> beside this file, embedded in the assembly.</summary>
internal static class ShippedSymbols
{
    public const string ResourceName = "Feeds/Simulated/symbols.csv";

    public static Stream Open() =>
        typeof(ShippedSymbols).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(ShippedSymbols).Assembly.GetName().Name}");
}
