using Npgsql;
using Ticker.Database.Ticks;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>What to do with a file that has bad rows.</summary>
public enum BadRowPolicy
{
    /// <summary>Import nothing from a file with any bad row, and report every bad row.</summary>
    Reject,

    /// <summary>Import the good rows, and report every bad row that was skipped.</summary>
    Skip,
}

/// <summary>A bad row: its line number in the file and why it was refused.</summary>
public readonly record struct CsvRowError(long Line, string Reason);

/// <summary>The outcome of one import. <see cref="Errors"/> holds the first bad rows; <see cref="BadRows"/> counts all.</summary>
public sealed record CsvImportReport(long Imported, long BadRows, IReadOnlyList<CsvRowError> Errors, bool Rejected);

/// <summary>
/// Streams a CSV file of ticks into PostgreSQL through one binary COPY inside one transaction:
/// the file is imported whole, or — when it has bad rows and the policy is <see cref="BadRowPolicy.Reject"/> —
/// not at all. Never half an import without saying so.
/// </summary>
public sealed class CsvImporter(NpgsqlDataSource dataSource, TimeProvider? clock = null)
{
    public const int MaxReportedErrors = 1000;

    public async Task<CsvImportReport> ImportAsync(Stream csv, BadRowPolicy policy, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var errors = new List<CsvRowError>();
        long badRows = 0;
        long imported;
        await using (var writer = await TickCopyWriter.BeginAsync(connection, cancellationToken))
        {
            await foreach (var row in CsvTickRows.ReadAsync(csv, clock ?? TimeProvider.System, cancellationToken))
            {
                if (row.Error is null)
                {
                    if (badRows == 0 || policy == BadRowPolicy.Skip)
                    {
                        await writer.WriteAsync(row.Tick, cancellationToken);
                    }

                    continue;
                }

                badRows++;
                if (errors.Count < MaxReportedErrors)
                {
                    errors.Add(new CsvRowError(row.Line, row.Error));
                }
            }

            if (badRows > 0 && policy == BadRowPolicy.Reject)
            {
                // Disposing the writer without completing it cancels the COPY; the rollback follows.
                return new CsvImportReport(0, badRows, errors, Rejected: true);
            }

            imported = await writer.CompleteAsync(cancellationToken);
        }

        // The COPY is closed only once its writer is disposed; then the transaction can commit.
        await transaction.CommitAsync(cancellationToken);
        return new CsvImportReport(imported, badRows, errors, Rejected: false);
    }
}
