using Npgsql.Replication.PgOutput.Messages;
using Ticker.Database.Ticks;

namespace Ticker.Ingest.Sources;

/// <summary>
/// Turns a pgoutput insert into a <see cref="StoredTick"/>, copying every value out of Npgsql's
/// reused message objects. Columns are found by name, so columns added later are ignored. A row
/// that cannot be read is reported with the reason, not thrown: it must not stop the stream.
/// </summary>
internal sealed class TickRowDecoder
{
    private uint _relationId;
    private string[] _columns = [];

    public async ValueTask<(StoredTick Tick, string? Error)> DecodeAsync(InsertMessage insert, CancellationToken cancellationToken)
    {
        if (insert.Relation.RelationId != _relationId || _columns.Length != insert.Relation.Columns.Count)
        {
            _relationId = insert.Relation.RelationId;
            _columns = insert.Relation.Columns.Select(c => c.ColumnName).ToArray();
        }

        long id = 0, size = 0;
        string? symbol = null;
        DateTimeOffset ts = default;
        decimal price = 0;
        decimal? bid = null, ask = null;
        string? error = null;
        var i = 0;
        await foreach (var value in insert.NewRow)
        {
            var column = i < _columns.Length ? _columns[i] : "";
            i++;
            if (error is not null || value.IsDBNull && column is "id" or "symbol" or "ts" or "price" or "size")
            {
                error ??= $"column {column} is null";
                continue;
            }

            try
            {
                switch (column)
                {
                    case "id": id = await value.Get<long>(cancellationToken); break;
                    case "symbol": symbol = await value.Get<string>(cancellationToken); break;
                    case "ts": ts = await value.Get<DateTimeOffset>(cancellationToken); break;
                    case "price": price = Numeric.Trim(await value.Get<decimal>(cancellationToken)); break;
                    case "size": size = await value.Get<long>(cancellationToken); break;
                    case "bid": bid = value.IsDBNull ? null : Numeric.Trim(await value.Get<decimal>(cancellationToken)); break;
                    case "ask": ask = value.IsDBNull ? null : Numeric.Trim(await value.Get<decimal>(cancellationToken)); break;
                }
            }
            catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException or NotSupportedException)
            {
                error = $"column {column}: {e.Message}";
            }
        }

        return error is null && symbol is not null
            ? (new StoredTick(id, symbol, ts, price, size, bid, ask), null)
            : (default, error ?? "row has no symbol");
    }
}
