using System.Runtime.CompilerServices;
using Ticker.Database.Reference;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>One non-blank data row of a symbol directory file: its 1-based line number and its entry, or why it is refused.</summary>
internal readonly record struct SymbolCsvRow(long Line, SymbolEntry? Entry, string? Error);

/// <summary>
/// The rows of a symbol directory file: a header first (nine columns are too many to guess the
/// order of), blank lines skipped, a symbol listed twice refused on its second line. No database
/// here; <see cref="SymbolImporter"/> decides what to do with the rows.
/// </summary>
internal static class SymbolCsvRows
{
    public static async IAsyncEnumerable<SymbolCsvRow> ReadAsync(Stream csv, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var header = true;
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var line in CsvLineReader.ReadAsync(csv, cancellationToken))
        {
            if (line.Text?.Trim().Length == 0)
            {
                continue;
            }

            var error = line.Text is null ? $"line is longer than {CsvLineReader.MaxLineBytes} bytes" : null;
            var fields = line.Text is null ? null : CsvFields.Split(line.Text, out error);
            if (header)
            {
                header = false;
                if (fields is not null && SymbolCsvParser.ExplainHeader(fields) is null)
                {
                    continue;
                }

                yield return new SymbolCsvRow(line.Number, null, error ?? SymbolCsvParser.ExplainHeader(fields!));
                continue;
            }

            if (fields is null || !SymbolCsvParser.TryParse(fields, out var entry, out error))
            {
                yield return new SymbolCsvRow(line.Number, null, error);
                continue;
            }

            if (seen.TryGetValue(entry!.Symbol, out var first))
            {
                yield return new SymbolCsvRow(line.Number, null, $"symbol {entry.Symbol} is already listed on line {first}");
                continue;
            }

            seen.Add(entry.Symbol, line.Number);
            yield return new SymbolCsvRow(line.Number, entry, null);
        }
    }
}
