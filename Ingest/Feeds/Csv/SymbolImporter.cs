using Ticker.Database.Reference;
using Ticker.Ingest.Feeds.Simulated;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>The outcome of one symbol import. <see cref="Errors"/> holds the first bad rows; <see cref="BadRows"/> counts all.</summary>
public sealed record SymbolImportReport(long Read, long Written, long BadRows, IReadOnlyList<CsvRowError> Errors, bool Rejected);

/// <summary>
/// Loads a symbol directory file into <c>symbols</c> in one transaction: new symbols are added,
/// listed ones replaced, symbols the file does not name are left alone. With bad rows and
/// <see cref="BadRowPolicy.Reject"/> nothing is written; every bad row is reported by line.
/// </summary>
public sealed class SymbolImporter(SymbolDirectory directory)
{
    public async Task<SymbolImportReport> ImportAsync(Stream csv, BadRowPolicy policy, CancellationToken cancellationToken = default)
    {
        var (entries, errors, badRows) = await ReadAsync(csv, cancellationToken);
        if (badRows > 0 && policy == BadRowPolicy.Reject)
        {
            return new SymbolImportReport(entries.Count, 0, badRows, errors, Rejected: true);
        }

        var written = await directory.UpsertAsync(entries, cancellationToken);
        return new SymbolImportReport(entries.Count, written, badRows, errors, Rejected: false);
    }

    /// <summary>
    /// Adds the simulated universe's symbols (<c>Feeds/Simulated/symbols.csv</c>, shipped in the
    /// assembly) that the directory lacks; listed symbols keep what an operator imported.
    /// </summary>
    public async Task<long> AddShippedAsync(CancellationToken cancellationToken = default)
    {
        await using var csv = ShippedSymbols.Open();
        var (entries, errors, _) = await ReadAsync(csv, cancellationToken);
        return errors.Count > 0
            ? throw new InvalidDataException($"{ShippedSymbols.ResourceName}:{errors[0].Line}: {errors[0].Reason}")
            : await directory.AddMissingAsync(entries, cancellationToken);
    }

    private static async Task<(List<SymbolEntry> Entries, List<CsvRowError> Errors, long BadRows)> ReadAsync(Stream csv, CancellationToken cancellationToken)
    {
        var entries = new List<SymbolEntry>();
        var errors = new List<CsvRowError>();
        long badRows = 0;
        await foreach (var row in SymbolCsvRows.ReadAsync(csv, cancellationToken))
        {
            if (row.Entry is not null)
            {
                entries.Add(row.Entry);
                continue;
            }

            badRows++;
            if (errors.Count < CsvImporter.MaxReportedErrors)
            {
                errors.Add(new CsvRowError(row.Line, row.Error!));
            }
        }

        return (entries, errors, badRows);
    }
}
