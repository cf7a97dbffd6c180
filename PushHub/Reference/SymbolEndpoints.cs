using Microsoft.AspNetCore.Http.HttpResults;
using Ticker.Database;
using Ticker.Database.Reference;
using Ticker.Database.Ticks;
using Ticker.PushHub.History;
using Ticker.PushHub.Identity;

namespace Ticker.PushHub.Reference;

/// <summary>
/// The symbol directory over HTTP: search, describe one, and the symbols whose ticks flow without
/// an entry. Reference data is read with the history scope and, like history, only for symbols
/// the caller's token covers.
/// </summary>
internal static class SymbolEndpoints
{
    public const int DefaultLimit = 20;

    /// <summary>Registers what the endpoints need: the unknown-symbol report and its once-a-minute check.</summary>
    public static IHostApplicationBuilder AddSymbolApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UnknownSymbols>();
        builder.Services.AddHostedService<UnknownSymbolReporter>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSymbolApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.AddEndpointFilter(HistoryEndpoints.AnswerStatementTimeoutAsync);
        api.MapGet("/symbols", SearchAsync).RequireEntitlement(Scopes.History);
        api.MapGet("/symbols/{symbol}", GetAsync).RequireEntitlement(Scopes.History);
        // Not /api/symbols/unknown: UNKNOWN is a valid ticker, and routes ignore case.
        api.MapGet("/unknown-symbols", ListUnknownAsync).RequireEntitlement(Scopes.History);
        return app;
    }

    /// <summary>Why a search is refused, or null: the shared rules of HTTP and gRPC.</summary>
    public static string? ExplainQuery(string? q) => q?.Trim() switch
    {
        null or { Length: 0 } => "q is required: a ticker or words of a name (e.g. AAPL, apple, gen ele)",
        { Length: > SymbolDirectory.MaxQueryLength } => $"q is longer than {SymbolDirectory.MaxQueryLength} characters",
        _ => null,
    };

    public static string? ExplainLimit(int? limit) =>
        limit is < 1 or > SymbolDirectory.MaxSearchLimit ? $"limit must be between 1 and {SymbolDirectory.MaxSearchLimit}" : null;

    /// <summary><c>GET /api/symbols?q=&amp;limit=</c>: exact ticker, ticker prefix, name word prefix, then fuzzy matches.</summary>
    private static async Task<Results<Ok<SymbolSearchResponse>, ValidationProblem>> SearchAsync(
        [FromKeyedServices(TickerDataSource.History)] SymbolDirectory directory, string? q, int? limit, HttpContext context, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        if (ExplainQuery(q) is { } badQuery)
        {
            problems["q"] = [badQuery];
        }

        if (ExplainLimit(limit) is { } badLimit)
        {
            problems["limit"] = [badLimit];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var caller = CallerIdentity.Of(context)!; // admitted by RequireEntitlement
        var found = await directory.SearchAsync(q!, limit ?? DefaultLimit, cancellationToken);
        return TypedResults.Ok(new SymbolSearchResponse(q!.Trim(), found.Where(e => caller.Covers(e.Symbol)).Select(SymbolDto.From).ToList()));
    }

    /// <summary><c>GET /api/symbols/{symbol}</c>: 404 when the directory does not list it (its ticks may still flow).</summary>
    private static async Task<Results<Ok<SymbolDto>, ValidationProblem, ProblemHttpResult>> GetAsync(
        [FromKeyedServices(TickerDataSource.History)] SymbolDirectory directory, string symbol, CancellationToken cancellationToken)
    {
        if (Symbols.Explain(symbol) is { } why)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["symbol"] = [why] });
        }

        return await directory.GetAsync(symbol, cancellationToken) is { } entry
            ? TypedResults.Ok(SymbolDto.From(entry))
            : TypedResults.Problem(NotListed(symbol), statusCode: StatusCodes.Status404NotFound, title: "Unknown symbol");
    }

    public static string NotListed(string symbol) =>
        $"{symbol} is not in the symbol directory (make import-symbols adds it; ticks of unlisted symbols still flow, GET /api/unknown-symbols lists them)";

    /// <summary><c>GET /api/unknown-symbols</c>: symbols with ticks that the directory does not list.</summary>
    private static async Task<Ok<UnknownSymbolsResponse>> ListUnknownAsync(UnknownSymbols unknown, HttpContext context, CancellationToken cancellationToken)
    {
        var caller = CallerIdentity.Of(context)!;
        var symbols = await unknown.ListAsync(cancellationToken);
        return TypedResults.Ok(new UnknownSymbolsResponse(symbols.Where(caller.Covers).ToList()));
    }
}
