using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Ticker.Database;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Push;
using Ticker.PushHub.Identity;

namespace Ticker.PushHub.History;

/// <summary>
/// The HTTP history API for browsers and scripts. Bad parameters get an RFC 9457 problem
/// document naming the parameter.
/// </summary>
internal static class HistoryEndpoints
{
    public const int MaxBars = 10_000;

    public static string TooManyTicks(string symbol, long max) =>
        $"the range holds more than {max} ticks of {symbol}; a bars request reads at most that many (Hub:MaxBarsScannedTicks), so narrow from/to";

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.AddEndpointFilter(AnswerStatementTimeoutAsync);
        api.MapGet("/ticks", GetTicksAsync).RequireEntitlement(Scopes.History);
        api.MapGet("/bars", GetBarsAsync).RequireEntitlement(Scopes.History);
        api.MapGet("/quotes", GetQuotesAsync).RequireEntitlement(Scopes.Subscribe);
        return app;
    }

    /// <summary><c>GET /api/ticks?symbol=&amp;from=&amp;to=&amp;limit=&amp;after=&amp;order=asc|desc</c>, keyset paged.</summary>
    private static async Task<Results<Ok<TicksResponse>, ValidationProblem, ProblemHttpResult>> GetTicksAsync([FromKeyedServices(TickerDataSource.History)] TickStore store,
        string? symbol, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? after, string? order, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        Check(problems, "symbol", symbol is null ? "symbol is required" : Symbols.Explain(symbol));
        Check(problems, "limit", limit is < 1 or > TickQuery.MaxLimit ? $"limit must be between 1 and {TickQuery.MaxLimit}" : null);
        Check(problems, "from", ExplainDate("from", from));
        Check(problems, "to", ExplainDate("to", to) ?? (from > to ? "to must not be before from" : null));
        Check(problems, "order", order is null or "asc" or "desc" ? null : "order must be asc or desc");
        TickCursor? cursor = null;
        Check(problems, "after", after is null || TickCursor.TryParse(after, out cursor) ? null : "after must be a cursor from a previous page's next");
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        TickPage page;
        try
        {
            page = await store.ReadPageAsync(new TickQuery(symbol!, limit ?? TickQuery.DefaultLimit)
            {
                From = from, To = to, After = cursor, NewestFirst = order == "desc",
            }, cancellationToken);
        }
        catch (CursorGoneException e)
        {
            return CursorGone(e);
        }

        return TypedResults.Ok(new TicksResponse(symbol!, page.Ticks.Select(TickDto.From).ToList(), page.Next?.ToString()));
    }

    /// <summary>410 Gone: retention deleted ticks after the cursor (docs/operations.md#retention).</summary>
    private static ProblemHttpResult CursorGone(CursorGoneException e) => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status410Gone,
        title: "The cursor points into deleted ticks", extensions: new Dictionary<string, object?> { ["removedThrough"] = e.RemovedThrough.ToString() });

    /// <summary><c>GET /api/bars?symbol=&amp;interval=1m&amp;from=&amp;to=</c>; by default the last 24 hours.</summary>
    private static async Task<Results<Ok<BarsResponse>, ValidationProblem>> GetBarsAsync([FromKeyedServices(TickerDataSource.History)] TickStore store, TimeProvider clock, IOptions<HubOptions> options,
        string? symbol, string? interval, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        Check(problems, "symbol", symbol is null ? "symbol is required" : Symbols.Explain(symbol));
        var width = TimeSpan.Zero;
        Check(problems, "interval", BarInterval.TryParse(interval ?? "1m", out width) ? null : BarInterval.Expected);
        Check(problems, "from", ExplainDate("from", from));
        Check(problems, "to", ExplainDate("to", to));
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-1);
        Check(problems, "to", start > end ? "to must not be before from" : null);
        Check(problems, "from", width > TimeSpan.Zero && (end - start) / width > MaxBars
            ? $"the range holds more than {MaxBars} bars of {interval}; narrow it or widen the interval" : null);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        try
        {
            var bars = await store.ReadBarsAsync(symbol!, width, start, end, cancellationToken, options.Value.MaxBarsScannedTicks);
            return TypedResults.Ok(new BarsResponse(symbol!, interval ?? "1m", bars));
        }
        catch (ScanLimitExceededException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [TooManyTicks(symbol!, options.Value.MaxBarsScannedTicks)] });
        }
    }

    /// <summary>
    /// <c>GET /api/quotes[?symbols=AAPL,MSFT]</c>: each symbol's live quote, from the pipeline's
    /// quote book in memory — a poll costs the database nothing.
    /// </summary>
    private static async Task<Results<Ok<List<QuoteDto>>, ValidationProblem>> GetQuotesAsync(IQuoteFeed feed, string? symbols,
        HttpContext context, CancellationToken cancellationToken)
    {
        var list = symbols?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var bad = list?.Select(s => Symbols.Explain(s) is { } why ? $"{s}: {why}" : null).FirstOrDefault(e => e is not null);
        if (bad is not null || list is { Length: > 1000 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["symbols"] = [bad ?? "at most 1000 symbols"] });
        }

        await feed.Started.WaitAsync(cancellationToken);
        var quotes = list is null
            ? feed.Quotes.OrderBy(q => q.Symbol, StringComparer.Ordinal)
            : list.Distinct(StringComparer.Ordinal).Select(s => feed.TryGetQuote(s, out var q) ? q : null).OfType<Quote>();
        var caller = CallerIdentity.Of(context)!; // admitted by RequireEntitlement
        return TypedResults.Ok(quotes.Where(q => caller.Covers(q.Symbol)).Select(QuoteDto.From).ToList());
    }

    /// <summary>
    /// Why a query bound is out of range, or null: ticks exist only from 1900 on (see
    /// <see cref="TickTime"/>), and arithmetic near the calendar's ends (a default range of a day
    /// before <c>to</c>) must not overflow into a 500.
    /// </summary>
    internal static string? ExplainDate(string name, DateTimeOffset? value) =>
        value is { } v && (v < TickTime.Earliest || v > LatestQueryBound)
            ? $"{name} must be between {TickTime.Earliest:yyyy-MM-dd} and {LatestQueryBound:yyyy-MM-dd}"
            : null;

    internal static readonly DateTimeOffset LatestQueryBound = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string TooSlow =
        "the history query ran longer than Database:HistoryStatementTimeout and was cancelled; narrow the range";

    /// <summary>A history read cancelled by the history pool's statement_timeout is a 503 saying so, not a 500.</summary>
    internal static async ValueTask<object?> AnswerStatementTimeoutAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Problem(TooSlow, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static void Check(Dictionary<string, string[]> problems, string parameter, string? problem)
    {
        if (problem is not null)
        {
            problems[parameter] = [problem];
        }
    }
}
