using Npgsql;
using Ticker.Database.Reference;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>
/// <c>import-symbols FILE [--bad-rows=reject|skip]</c>: loads a symbol directory file (<c>-</c>
/// reads standard input) and reports every bad row by line number. Exit codes: 0 imported, 1 bad
/// rows (rejected, or skipped and reported), 2 usage or file errors.
/// </summary>
public static class SymbolImportCommand
{
    public const string Name = "import-symbols";

    public static readonly string Usage =
        $"usage: import-symbols FILE|- [--bad-rows=reject|skip]   (header: {SymbolCsvParser.Header})";

    public static Task<int> RunAsync(IReadOnlyList<string> args, NpgsqlDataSource dataSource, TextWriter output,
        CancellationToken cancellationToken = default) =>
        CsvFileCommand.RunAsync(Name, Usage, args, output, async (input, policy) =>
        {
            var report = await new SymbolImporter(new SymbolDirectory(dataSource)).ImportAsync(input, policy, cancellationToken);
            return new CsvFileOutcome(report.BadRows, report.Errors, report.Rejected,
                path => $"read {report.Read} symbols from {path}, {report.Written} added or changed");
        });
}
