using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Ticker.Database.Reference;
using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Reference;

/// <summary>
/// Symbols whose ticks flow but which the symbol directory does not list: the quote book's symbols
/// less the directory's. Ticks are never held back for reference data; the gap is reported instead:
/// a warning once per symbol (per hub process), the gauge <c>ticker.symbols.unknown</c>, and
/// <c>GET /api/unknown-symbols</c>.
/// </summary>
internal sealed class UnknownSymbols
{
    private readonly TickPipeline _pipeline;
    private readonly SymbolDirectory _directory;
    private readonly ILogger<UnknownSymbols> _logger;
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);
    private int _count;

    public UnknownSymbols(TickPipeline pipeline, SymbolDirectory directory, ILogger<UnknownSymbols> logger, IMeterFactory meters)
    {
        _pipeline = pipeline;
        _directory = directory;
        _logger = logger;
        // The factory hands back the hub's one Ticker.PushHub meter and owns it: not disposed here.
        meters.Create(Push.PushMetrics.MeterName).CreateObservableGauge("ticker.symbols.unknown", () => Volatile.Read(ref _count), "{symbol}",
            "Symbols with ticks that the symbol directory does not list (as of the last check)");
    }

    /// <summary>The unknown symbols now, in order; each one not seen unknown before is logged once.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await _pipeline.Started.WaitAsync(cancellationToken);
        var missing = await _directory.MissingAsync(_pipeline.Book.All.Select(q => q.Symbol), cancellationToken);
        foreach (var symbol in missing)
        {
            if (_reported.TryAdd(symbol, true))
            {
                PushLog.UnknownSymbol(_logger, symbol);
            }
        }

        Volatile.Write(ref _count, missing.Count);
        return missing;
    }
}
