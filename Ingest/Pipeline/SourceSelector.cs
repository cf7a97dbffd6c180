using Npgsql;
using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// Picks the change source <c>Ingest:Source</c> names among the registered ones, prepared. With
/// <c>auto</c>, the first in order of preference that the server allows and that prepares without a
/// PostgreSQL error, saying once why it passed over the better ones.
/// </summary>
internal static class SourceSelector
{
    public const string Auto = "auto";

    /// <summary>A prepared source and the snapshot its start-up state must be read under (null: any).</summary>
    public readonly record struct Prepared(ITickSource Source, string? ExportedSnapshot);

    public static async Task<Prepared> ChooseAsync(IReadOnlyList<TickSourceRegistration> sources, TickSourceContext context,
        CancellationToken cancellationToken)
    {
        var wanted = context.Options.Source;
        if (wanted != Auto)
        {
            var registration = sources.FirstOrDefault(s => s.Name == wanted)
                ?? throw new InvalidOperationException($"Ingest:Source names {wanted}, which is not a registered change source");
            if (await registration.WhyUnavailableAsync(context, cancellationToken) is { } reason)
            {
                throw new InvalidOperationException($"Ingest:Source is {wanted}, but the server does not allow it: {reason}");
            }

            return await PrepareAsync(registration.Create(context), cancellationToken);
        }

        (string Source, string Reason)? passedOver = null;
        foreach (var registration in sources)
        {
            var reason = await registration.WhyUnavailableAsync(context, cancellationToken);
            if (reason is null)
            {
                var source = registration.Create(context);
                try
                {
                    var prepared = await PrepareAsync(source, cancellationToken);
                    if (passedOver is { } skipped)
                    {
                        IngestLog.FallingBack(context.Logger, skipped.Source, skipped.Reason, source.Name);
                    }

                    return prepared;
                }
                catch (PostgresException e)
                {
                    reason = e.MessageText;
                }
            }

            passedOver ??= (registration.Name, reason);
        }

        throw new InvalidOperationException(passedOver is { } first
            ? $"Ingest:Source is auto, but the server allows none of the change sources ({first.Source}: {first.Reason})"
            : "Ingest:Source is auto, but no change source is registered");
    }

    private static async Task<Prepared> PrepareAsync(ITickSource source, CancellationToken cancellationToken)
    {
        try
        {
            return new(source, await source.PrepareAsync(cancellationToken));
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }
}
