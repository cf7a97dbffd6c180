using Ticker.Database.Ticks;

namespace Ticker.Ingest.Feeds.Simulated;

/// <summary>
/// Ticks as a market makes them: each symbol's mid price follows a geometric random walk
/// (log-normal steps scaled by the time since its last tick), quotes straddle it at a realistic
/// spread, trade sizes are mostly round lots, and now and then one symbol bursts into activity as
/// news would make it. The same seed and the same clock readings give the same ticks.
/// </summary>
public sealed class TickGenerator
{
    private const double SecondsPerTradingYear = 252 * 6.5 * 3600;
    private const double BurstProbability = 0.002;
    private const int BurstLength = 200;
    private const double BurstActivity = 40;

    private readonly Random _random;
    private readonly SymbolState[] _symbols;
    private readonly double[] _cumulativeActivity;
    private int _burstSymbol = -1;
    private int _burstRemaining;

    public TickGenerator(int symbolCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCount);
        _random = new Random(seed);
        _symbols = SymbolUniverse.Take(symbolCount, _random).Select(l => new SymbolState(l)).ToArray();
        _cumulativeActivity = new double[_symbols.Length];
        var sum = 0.0;
        for (var i = 0; i < _symbols.Length; i++)
        {
            _cumulativeActivity[i] = sum += _symbols[i].Listing.Activity;
        }
    }

    public IEnumerable<string> Symbols => _symbols.Select(s => s.Listing.Symbol);

    /// <summary>The next tick, stamped <paramref name="now"/>.</summary>
    public Tick Next(DateTimeOffset now)
    {
        var state = _symbols[PickSymbol()];
        var elapsed = state.LastTick is { } last ? Math.Max((now - last).TotalSeconds, 0.001) : 1.0;
        state.LastTick = now;

        // Geometric Brownian motion without drift: ln(S') = ln(S) - σ²dt/2 + σ√dt·Z.
        var dt = elapsed / SecondsPerTradingYear;
        var sigma = state.Listing.Volatility;
        state.Mid *= Math.Exp(-0.5 * sigma * sigma * dt + sigma * Math.Sqrt(dt) * NextGaussian());

        var increment = state.Listing.Price < 1m ? 0.0001m : state.Listing.Price < 10m ? 0.001m : 0.01m;
        var halfSpread = Math.Max((double)increment, state.Mid * state.SpreadFraction / 2);
        var bid = RoundTo((decimal)(state.Mid - halfSpread), increment);
        var ask = Math.Max(RoundTo((decimal)(state.Mid + halfSpread), increment), bid + increment);
        // Trades hit the bid or lift the offer, occasionally print inside the spread.
        var price = _random.NextDouble() switch
        {
            < 0.45 => bid,
            < 0.90 => ask,
            _ => RoundTo((bid + ask) / 2, increment),
        };

        return new Tick(state.Listing.Symbol, now, Math.Max(price, increment), NextSize(), Math.Max(bid, increment), ask);
    }

    private int PickSymbol()
    {
        if (_burstRemaining > 0)
        {
            _burstRemaining--;
            if (_random.NextDouble() < BurstActivity / (BurstActivity + 1))
            {
                return _burstSymbol;
            }
        }
        else if (_random.NextDouble() < BurstProbability)
        {
            _burstSymbol = _random.Next(_symbols.Length);
            _burstRemaining = BurstLength;
        }

        var target = _random.NextDouble() * _cumulativeActivity[^1];
        var index = Array.BinarySearch(_cumulativeActivity, target);
        return Math.Min(index < 0 ? ~index : index, _symbols.Length - 1);
    }

    // Mostly round lots of 100 with a heavy tail; one trade in five is an odd lot.
    private long NextSize() => _random.NextDouble() < 0.2
        ? _random.Next(1, 100)
        : 100 * Math.Max(1, (long)Math.Round(Math.Exp(1.2 * NextGaussian())));

    private double NextGaussian()
    {
        // Box–Muller; 1 - NextDouble() keeps the logarithm's argument in (0, 1].
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static decimal RoundTo(decimal value, decimal increment) =>
        decimal.Round(value / increment, MidpointRounding.ToEven) * increment;

    private sealed class SymbolState(Listing listing)
    {
        public Listing Listing { get; } = listing;
        public double Mid { get; set; } = (double)listing.Price;
        // Liquid names quote a basis point wide, thin ones up to ten.
        public double SpreadFraction { get; } = 0.0001 * Math.Clamp(12 / listing.Activity, 1, 10);
        public DateTimeOffset? LastTick { get; set; }
    }
}
