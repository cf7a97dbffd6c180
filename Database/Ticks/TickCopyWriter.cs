using Npgsql;
using NpgsqlTypes;

namespace Ticker.Database.Ticks;

/// <summary>
/// One binary COPY into <c>ticks</c> in progress. Nothing is visible until <see cref="CompleteAsync"/>;
/// disposing without completing cancels the COPY, so a failed import leaves no rows behind.
/// </summary>
public sealed class TickCopyWriter : IAsyncDisposable
{
    private const string CopySql = "COPY ticks (symbol, ts, price, size, bid, ask) FROM STDIN (FORMAT BINARY)";

    private readonly NpgsqlBinaryImporter _importer;

    private TickCopyWriter(NpgsqlBinaryImporter importer) => _importer = importer;

    public long Written { get; private set; }

    public static async Task<TickCopyWriter> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        new(await connection.BeginBinaryImportAsync(CopySql, cancellationToken));

    public async ValueTask WriteAsync(Tick tick, CancellationToken cancellationToken = default)
    {
        await _importer.StartRowAsync(cancellationToken);
        await _importer.WriteAsync(tick.Symbol, NpgsqlDbType.Text, cancellationToken);
        await _importer.WriteAsync(tick.Ts.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        await _importer.WriteAsync(tick.Price, NpgsqlDbType.Numeric, cancellationToken);
        await _importer.WriteAsync(tick.Size, NpgsqlDbType.Bigint, cancellationToken);
        await WriteOptionalAsync(tick.Bid, cancellationToken);
        await WriteOptionalAsync(tick.Ask, cancellationToken);
        Written++;
    }

    /// <summary>Ends the COPY; the rows are then part of the enclosing transaction (or committed).</summary>
    public async ValueTask<long> CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _importer.CompleteAsync(cancellationToken);
        return Written;
    }

    public ValueTask DisposeAsync() => _importer.DisposeAsync();

    private Task WriteOptionalAsync(decimal? value, CancellationToken cancellationToken) => value is { } v
        ? _importer.WriteAsync(v, NpgsqlDbType.Numeric, cancellationToken)
        : _importer.WriteNullAsync(cancellationToken);
}
