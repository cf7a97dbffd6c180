using System.Runtime.CompilerServices;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>
/// The rows of a CSV file of ticks, each a tick or a precise error with its line number: blank lines
/// skipped, an optional header checked. No database here, so the rules are testable on their own;
/// <see cref="CsvImporter"/> decides what to do with the rows.
/// </summary>
internal static class CsvTickRows
{
    public static async IAsyncEnumerable<CsvRow> ReadAsync(Stream csv, TimeProvider clock, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var firstRow = true;
        await foreach (var line in CsvLineReader.ReadAsync(csv, cancellationToken))
        {
            if (line.Text is { Length: 0 } || line.Text?.Trim().Length == 0)
            {
                continue;
            }

            var error = line.Text is null ? $"line is longer than {CsvLineReader.MaxLineBytes} bytes" : null;
            var fields = line.Text is null ? null : CsvFields.Split(line.Text, out error);
            if (fields is not null && firstRow && CsvTickParser.IsHeader(fields))
            {
                firstRow = false;
                error = CsvTickParser.ExplainHeader(fields);
                if (error is null)
                {
                    continue;
                }
            }

            firstRow = false;
            if (fields is not null && error is null && CsvTickParser.TryParse(fields, clock.GetUtcNow(), out var tick, out error))
            {
                yield return new CsvRow(line.Number, tick, null);
                continue;
            }

            yield return new CsvRow(line.Number, default, error);
        }
    }
}
