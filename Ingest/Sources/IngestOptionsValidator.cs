using Microsoft.Extensions.Options;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>Checks <c>Ingest:Source</c> against the registered change sources, naming the values it accepts.</summary>
internal sealed class IngestOptionsValidator(IEnumerable<TickSourceRegistration> sources) : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        string[] accepted = [SourceSelector.Auto, .. sources.Select(s => s.Name)];
        return accepted.Contains(options.Source, StringComparer.Ordinal)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Ingest:Source must be {string.Join(", ", accepted[..^1])} or {accepted[^1]}.");
    }
}
