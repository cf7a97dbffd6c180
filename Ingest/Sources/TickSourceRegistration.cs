namespace Ticker.Ingest.Sources;

/// <summary>
/// A change source by name, for <c>Ingest:Source</c>. Registered in order of preference: with
/// <c>Ingest:Source=auto</c> the pipeline takes the first the server allows and that prepares
/// without a PostgreSQL error, warning once with the reason when it passed over a better one.
/// </summary>
/// <param name="Name">The <c>Ingest:Source</c> value that selects it (lower case; not <c>auto</c>).</param>
/// <param name="WhyUnavailableAsync">Why this server does not allow the source, or null when it does.</param>
/// <param name="Create">Makes the source; nothing is opened until <see cref="ITickSource.PrepareAsync"/>.</param>
public sealed record TickSourceRegistration(string Name,
    Func<TickSourceContext, CancellationToken, Task<string?>> WhyUnavailableAsync,
    Func<TickSourceContext, ITickSource> Create)
{
    /// <summary>The sources Ticker ships, best first: logical replication, then the LISTEN/NOTIFY fallback.</summary>
    public static IReadOnlyList<TickSourceRegistration> BuiltIn { get; } = [ReplicationTickSource.Registration, NotifyTickSource.Registration];
}
