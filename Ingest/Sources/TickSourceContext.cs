using Microsoft.Extensions.Logging;
using Npgsql;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Sources;

/// <summary>What a source is made from: the database, the <c>Ingest</c> settings, the pipeline's metrics and a logger.</summary>
public sealed record TickSourceContext(NpgsqlDataSource DataSource, string ConnectionString, IngestOptions Options, IngestMetrics Metrics,
    ILogger Logger);
