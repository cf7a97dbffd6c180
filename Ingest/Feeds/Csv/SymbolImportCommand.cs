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
                    await output.WriteLineAsync($"{Name}: unknown option {option}\n{Usage}");
                    return 2;
                case var file when path is null: path = file; break;
                default:
                    await output.WriteLineAsync($"{Name}: more than one file given\n{Usage}");
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
            await output.WriteLineAsync($"{Name}: cannot read {path}: {e.Message}");
            return 2;
        }

        await using (input)
        {
            var report = await new SymbolImporter(new SymbolDirectory(dataSource)).ImportAsync(input, policy, cancellationToken);
            foreach (var error in report.Errors)
            {
                await output.WriteLineAsync($"{path}:{error.Line}: {error.Reason}");
            }

            if (report.BadRows > report.Errors.Count)
            {
                await output.WriteLineAsync($"... and {report.BadRows - report.Errors.Count} more bad rows");
            }

            await output.WriteLineAsync(report.Rejected
                ? $"{Name}: rejected {path}: {report.BadRows} bad rows, nothing imported (use --bad-rows=skip to import the good rows)"
                : $"{Name}: read {report.Read} symbols from {path}, {report.Written} added or changed"
                  + (report.BadRows > 0 ? $", skipped {report.BadRows} bad rows" : ""));
            return report.BadRows == 0 ? 0 : 1;
        }
    }
}
