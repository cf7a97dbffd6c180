using Npgsql;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>
/// <c>import FILE [--bad-rows=reject|skip]</c>: imports a CSV file of ticks (<c>-</c> reads standard
/// input) and reports every bad row by line number. Exit codes: 0 imported, 1 bad rows
/// (rejected, or skipped and reported), 2 usage or file errors.
/// </summary>
public static class CsvImportCommand
{
    public const string Name = "import";

    public const string Usage = "usage: import FILE|- [--bad-rows=reject|skip]   (rows: symbol,ts,price,size[,bid,ask]; header optional)";

    public static Task<int> RunAsync(IReadOnlyList<string> args, NpgsqlDataSource dataSource, TextWriter output,
        CancellationToken cancellationToken = default) =>
        CsvFileCommand.RunAsync(Name, Usage, args, output, async (input, policy) =>
        {
            var report = await new CsvImporter(dataSource).ImportAsync(input, policy, cancellationToken);
            return new CsvFileOutcome(report.BadRows, report.Errors, report.Rejected, path => $"imported {report.Imported} ticks from {path}");
        });
}
