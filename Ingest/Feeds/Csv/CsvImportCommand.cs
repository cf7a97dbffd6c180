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

    public static async Task<int> RunAsync(IReadOnlyList<string> args, NpgsqlDataSource dataSource, TextWriter output,
        CancellationToken cancellationToken = default)
    {
        string? path = null;
        var policy = BadRowPolicy.Reject;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--bad-rows=reject": policy = BadRowPolicy.Reject; break;
                case "--bad-rows=skip": policy = BadRowPolicy.Skip; break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    await output.WriteLineAsync($"import: unknown option {option}\n{Usage}");
                    return 2;
                case var file when path is null: path = file; break;
                default:
                    await output.WriteLineAsync($"import: more than one file given\n{Usage}");
                    return 2;
            }
        }

        if (path is null)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        Stream input;
        try
        {
            input = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"import: cannot read {path}: {e.Message}");
            return 2;
        }

        await using (input)
        {
            var report = await new CsvImporter(dataSource).ImportAsync(input, policy, cancellationToken);
            await WriteReportAsync(report, path, output);
            return report.BadRows == 0 ? 0 : 1;
        }
    }

    private static async Task WriteReportAsync(CsvImportReport report, string path, TextWriter output)
    {
        foreach (var error in report.Errors)
        {
            await output.WriteLineAsync($"{path}:{error.Line}: {error.Reason}");
        }

        if (report.BadRows > report.Errors.Count)
        {
            await output.WriteLineAsync($"... and {report.BadRows - report.Errors.Count} more bad rows");
        }

        await output.WriteLineAsync(report.Rejected
            ? $"import: rejected {path}: {report.BadRows} bad rows, nothing imported (use --bad-rows=skip to import the good rows)"
            : $"import: imported {report.Imported} ticks from {path}" + (report.BadRows > 0 ? $", skipped {report.BadRows} bad rows" : ""));
    }
}
