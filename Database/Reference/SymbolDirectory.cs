using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Ticker.Database.Reference;

/// <summary>
/// The symbol directory (<c>symbols</c>): search, describe, find the symbols it lacks, and load it.
/// SQL sits beside the method that runs it.
/// </summary>
public sealed class SymbolDirectory(NpgsqlDataSource dataSource)
{
    public const int MaxSearchLimit = 100;

    public const int MaxQueryLength = 64;

    // trim_scale: numeric(20, 8) would give 0.01 back as 0.01000000.
    private const string Columns =
        "s.symbol, s.name, s.venue, s.asset_class AS AssetClass, s.currency, s.time_zone AS TimeZone, s.calendar, trim_scale(s.tick_size) AS TickSize, s.active";

    // Each tier runs only when the tiers before it leave room, since a later tier never ranks
    // above an earlier one: a one-letter search is answered by tickers alone, and the costly name
    // tiers run for what tickers do not answer. Within a tier, active symbols come first.
    //
    // Tiers 0 and 1: the exact ticker, then tickers starting with the text, shorter first.
    private const string TickerSql = $"""
        WITH hits AS (
            SELECT symbol, 0 AS tier, 0 AS score FROM symbols WHERE symbol = @Ticker
            UNION ALL
            (SELECT symbol, 1, -length(symbol) FROM symbols
             WHERE symbol LIKE @TickerPrefix AND symbol <> @Ticker ORDER BY 3 DESC, symbol LIMIT @Limit)
        )
        SELECT {Columns} FROM hits JOIN symbols s USING (symbol)
        ORDER BY hits.tier, NOT s.active, hits.score DESC, s.symbol
        LIMIT @Limit
        """;

    // Tier 2: every word of the text a prefix of a word of the name; names that start with the
    // text first, then shorter names.
    private const string NameWordsSql = $"""
        SELECT {Columns} FROM symbols s
        WHERE s.name_words @@ to_tsquery('simple', @Words) AND s.symbol <> ALL(@Found)
        ORDER BY NOT s.active, lower(s.name) LIKE @NamePrefix DESC, length(s.name), s.symbol
        LIMIT @Limit
        """;

    // Tier 3, fuzzy (pg_trgm): names holding a word like the text, tickers like it; by similarity.
    private const string FuzzySql = $"""
        WITH hits AS (
            (SELECT symbol, word_similarity(@Text, lower(name)) AS score FROM symbols
             WHERE @Text <% lower(name) AND symbol <> ALL(@Found) ORDER BY 2 DESC, symbol LIMIT @Limit)
            UNION ALL
            (SELECT symbol, similarity(symbol, @Ticker) FROM symbols
             WHERE symbol % @Ticker AND symbol <> ALL(@Found) ORDER BY 2 DESC, symbol LIMIT @Limit)
        ), best AS (
            SELECT symbol, max(score) AS score FROM hits GROUP BY symbol
        )
        SELECT {Columns} FROM best JOIN symbols s USING (symbol)
        ORDER BY NOT s.active, best.score DESC, s.symbol
        LIMIT @Limit
        """;

    /// <summary>
    /// Symbols whose ticker or name matches <paramref name="text"/>, best first: the exact ticker,
    /// tickers starting with it, names with words starting with its words, then fuzzy matches.
    /// Inactive symbols come after active ones of the same tier.
    /// </summary>
    public async Task<IReadOnlyList<SymbolEntry>> SearchAsync(string text, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxSearchLimit);
        var search = SymbolSearch.From(text);
        if (search.Text.Length == 0)
        {
            return [];
        }

        using var activity = DatabaseActivity.Source.StartActivity("symbols.search");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = (await connection.QueryAsync<SymbolEntry>(new CommandDefinition(TickerSql,
            new { search.Ticker, search.TickerPrefix, Limit = limit }, cancellationToken: cancellationToken))).AsList();
        if (found.Count < limit && search.Words.Length > 0)
        {
            found.AddRange(await connection.QueryAsync<SymbolEntry>(new CommandDefinition(NameWordsSql, new
            {
                search.Words, search.NamePrefix, Found = found.Select(e => e.Symbol).ToArray(), Limit = limit - found.Count,
            }, cancellationToken: cancellationToken)));
        }

        if (found.Count < limit && search.Fuzzy)
        {
            found.AddRange(await connection.QueryAsync<SymbolEntry>(new CommandDefinition(FuzzySql, new
            {
                search.Ticker, search.Text, Found = found.Select(e => e.Symbol).ToArray(), Limit = limit - found.Count,
            }, cancellationToken: cancellationToken)));
        }

        activity?.SetTag("ticker.rows", found.Count);
        return found;
    }

    private const string GetSql = $"SELECT {Columns} FROM symbols s WHERE s.symbol = @Symbol";

    /// <summary>One symbol's entry, or null when the directory does not list it.</summary>
    public async Task<SymbolEntry?> GetAsync(string symbol, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SymbolEntry>(new CommandDefinition(GetSql, new { Symbol = symbol },
            cancellationToken: cancellationToken));
    }

    private const string MissingSql = """
        SELECT t.symbol FROM unnest(@Symbols::text[]) AS t(symbol)
        WHERE NOT EXISTS (SELECT 1 FROM symbols s WHERE s.symbol = t.symbol)
        ORDER BY t.symbol
        """;

    /// <summary>Those of <paramref name="symbols"/> the directory does not list, in order.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(IEnumerable<string> symbols, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(MissingSql, new { Symbols = symbols.Distinct(StringComparer.Ordinal).ToArray() },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private const string StageSql = """
        CREATE TEMP TABLE symbols_import (
            symbol text, name text, venue text, asset_class text, currency text, time_zone text, calendar text,
            tick_size numeric(20, 8), active boolean
        ) ON COMMIT DROP
        """;

    private const string CopySql =
        "COPY symbols_import (symbol, name, venue, asset_class, currency, time_zone, calendar, tick_size, active) FROM STDIN (FORMAT BINARY)";

    private const string InsertSql = """
        INSERT INTO symbols AS s (symbol, name, venue, asset_class, currency, time_zone, calendar, tick_size, active)
        SELECT symbol, name, venue, asset_class, currency, time_zone, calendar, tick_size, active FROM symbols_import
        """;

    // Only rows that change get a new updated_at.
    private const string UpsertSql = InsertSql + """

        ON CONFLICT (symbol) DO UPDATE SET
            name = EXCLUDED.name, venue = EXCLUDED.venue, asset_class = EXCLUDED.asset_class, currency = EXCLUDED.currency,
            time_zone = EXCLUDED.time_zone, calendar = EXCLUDED.calendar, tick_size = EXCLUDED.tick_size,
            active = EXCLUDED.active, updated_at = now()
        WHERE (s.name, s.venue, s.asset_class, s.currency, s.time_zone, s.calendar, s.tick_size, s.active)
            IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.venue, EXCLUDED.asset_class, EXCLUDED.currency,
                              EXCLUDED.time_zone, EXCLUDED.calendar, EXCLUDED.tick_size, EXCLUDED.active)
        """;

    private const string AddMissingSql = InsertSql + "\nON CONFLICT (symbol) DO NOTHING";

    /// <summary>
    /// Writes <paramref name="entries"/> in one transaction (binary COPY into a staging table, then
    /// one INSERT): new symbols are added, listed ones replaced. Returns the rows added or changed.
    /// </summary>
    public Task<long> UpsertAsync(IEnumerable<SymbolEntry> entries, CancellationToken cancellationToken = default) =>
        WriteAsync(entries, UpsertSql, cancellationToken);

    /// <summary>Adds the entries the directory does not list yet and leaves listed ones as they are (an operator's import wins).</summary>
    public Task<long> AddMissingAsync(IEnumerable<SymbolEntry> entries, CancellationToken cancellationToken = default) =>
        WriteAsync(entries, AddMissingSql, cancellationToken);

    private async Task<long> WriteAsync(IEnumerable<SymbolEntry> entries, string sql, CancellationToken cancellationToken)
    {
        using var activity = DatabaseActivity.Source.StartActivity("symbols.write");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(StageSql, transaction: transaction, cancellationToken: cancellationToken));
        await using (var writer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken))
        {
            foreach (var e in entries)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(e.Symbol, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.Name, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.Venue, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.AssetClass, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.Currency, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.TimeZone, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.Calendar, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.TickSize, NpgsqlDbType.Numeric, cancellationToken);
                await writer.WriteAsync(e.Active, NpgsqlDbType.Boolean, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        var written = await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        activity?.SetTag("ticker.rows", written);
        return written;
    }
}
