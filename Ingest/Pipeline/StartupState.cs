using Npgsql;
using Ticker.Database.ChangeFeed;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// Every symbol's quote as of one snapshot of the table, and that snapshot: the pipeline skips
/// streamed transactions the snapshot already saw (see <see cref="TransactionSnapshot"/>).
/// </summary>
public sealed record StartupState(TransactionSnapshot Snapshot, IReadOnlyList<Quote> Quotes)
{
    /// <summary>The numbering the quotes' seqs belong to, read under the same snapshot (see <see cref="Ticker.Database.Ticks.PositionEpoch"/>).</summary>
    public string Epoch { get; init; } = "";

    public static Task<StartupState> LoadAsync(NpgsqlDataSource dataSource, TradingSession session, TimeSpan futureSkew, CancellationToken cancellationToken) =>
        LoadAsync(dataSource, session, futureSkew, exportedSnapshot: null, cancellationToken);

    /// <summary>
    /// Reads the state under <paramref name="exportedSnapshot"/> (a temporary slot's, so the state ends
    /// exactly where the slot's stream begins), or under a snapshot of its own when null.
    /// </summary>
    public static async Task<StartupState> LoadAsync(NpgsqlDataSource dataSource, TradingSession session, TimeSpan futureSkew,
        string? exportedSnapshot, CancellationToken cancellationToken)
    {
        var read = await SymbolStates.ReadAsync(dataSource, session.StartUtc, futureSkew, exportedSnapshot, cancellationToken);
        var quotes = read.Symbols.Select(s => new Quote(
            Symbol: s.Symbol,
            Seq: s.Count,
            Last: s.Last,
            Bid: s.Bid,
            Ask: s.Ask,
            Size: s.Size,
            Open: s.Open,
            High: s.High,
            Low: s.Low,
            Volume: s.Volume,
            Ts: s.Ts,
            SessionStart: s.SessionStart)).ToList();
        return new StartupState(TransactionSnapshot.Parse(read.Snapshot), quotes) { Epoch = read.Epoch };
    }
}
