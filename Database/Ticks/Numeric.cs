namespace Ticker.Database.Ticks;

/// <summary>Prices as people write them.</summary>
public static class Numeric
{
    /// <summary>
    /// numeric(20, 8) comes back with eight decimals (228.56000000); dividing by 1 written with
    /// trailing zeros gives the shortest scale, so 228.56 reads and serializes as 228.56.
    /// </summary>
    public static decimal Trim(decimal value) => value / 1.000000000000000000000000000000000m;
}
