namespace Ticker.Ingest.Feeds.Csv;

/// <summary>What one CSV import did, as the command reports it: the bad rows and, when imported, a summary.</summary>
/// <param name="Summary">The success line's text given the file's path, e.g. <c>imported 5 ticks from a.csv</c>.</param>
internal sealed record CsvFileOutcome(long BadRows, IReadOnlyList<CsvRowError> Errors, bool Rejected, Func<string, string> Summary);

/// <summary>
/// The front shared by the CSV import commands (<c>import</c>, <c>import-symbols</c>): arguments,
/// opening the file or standard input, every bad row by line number, and the exit code (0 imported,
/// 1 bad rows, 2 usage or file errors).
/// </summary>
internal static class CsvFileCommand
{
    public static async Task<int> RunAsync(string name, string usage, IReadOnlyList<string> args, TextWriter output,
        Func<Stream, BadRowPolicy, Task<CsvFileOutcome>> import)
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
                    await output.WriteLineAsync($"{name}: unknown option {option}\n{usage}");
                    return 2;
                case var file when path is null: path = file; break;
                default:
                    await output.WriteLineAsync($"{name}: more than one file given\n{usage}");
                    return 2;
            }
        }

        if (path is null)
        {
            await output.WriteLineAsync(usage);
            return 2;
        }

        Stream input;
        try
        {
            input = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"{name}: cannot read {path}: {e.Message}");
            return 2;
        }

        await using (input)
        {
            var outcome = await import(input, policy);
            foreach (var error in outcome.Errors)
            {
                await output.WriteLineAsync($"{path}:{error.Line}: {error.Reason}");
            }

            if (outcome.BadRows > outcome.Errors.Count)
            {
                await output.WriteLineAsync($"... and {outcome.BadRows - outcome.Errors.Count} more bad rows");
            }

            await output.WriteLineAsync(outcome.Rejected
                ? $"{name}: rejected {path}: {outcome.BadRows} bad rows, nothing imported (use --bad-rows=skip to import the good rows)"
                : $"{name}: {outcome.Summary(path)}" + (outcome.BadRows > 0 ? $", skipped {outcome.BadRows} bad rows" : ""));
            return outcome.BadRows == 0 ? 0 : 1;
        }
    }
}
