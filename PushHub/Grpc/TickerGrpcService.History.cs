using Grpc.Core;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Grpc.V1;
using Ticker.PushHub.History;
using Ticker.PushHub.Identity;

namespace Ticker.PushHub.Grpc;

internal sealed partial class TickerGrpcService
{
    public override async Task<GetTicksResponse> GetTicks(GetTicksRequest request, ServerCallContext context)
    {
        CheckSymbol(request.Symbol);
        GrpcCaller.Require(context, Scopes.History, [request.Symbol]);
        var limit = request.Limit == 0 ? TickQuery.DefaultLimit : request.Limit;
        if (limit is < 1 or > TickQuery.MaxLimit)
        {
            throw Invalid($"limit: between 1 and {TickQuery.MaxLimit}");
        }

        TickCursor? after = null;
        if (request.After.Length > 0 && !TickCursor.TryParse(request.After, out after))
        {
            throw Invalid("after: not a cursor from a previous page's next");
        }

        var from = Bound("from", request.From);
        var to = Bound("to", request.To);
        TickPage page;
        try
        {
            page = await WithinTimeoutAsync(() => history.ReadPageAsync(new TickQuery(request.Symbol, limit)
            {
                From = from, To = to, After = after, NewestFirst = request.NewestFirst,
            }, context.CancellationToken), context.CancellationToken);
        }
        catch (CursorGoneException e)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"after: {e.Message}"));
        }

        var response = new GetTicksResponse { Next = page.Next?.ToString() ?? "" };
        response.Ticks.AddRange(page.Ticks.Select(GrpcMapping.ToMessage));
        return response;
    }

    public override async Task<GetBarsResponse> GetBars(GetBarsRequest request, ServerCallContext context)
    {
        CheckSymbol(request.Symbol);
        GrpcCaller.Require(context, Scopes.History, [request.Symbol]);
        var text = request.Interval.Length == 0 ? "1m" : request.Interval;
        if (!BarInterval.TryParse(text, out var interval))
        {
            throw Invalid($"interval: {BarInterval.Expected}");
        }

        var to = Bound("to", request.To) ?? clock.GetUtcNow();
        var from = Bound("from", request.From) ?? to.AddDays(-1);
        if (from > to || (to - from) / interval > HistoryEndpoints.MaxBars)
        {
            throw Invalid($"from/to: a range of at most {HistoryEndpoints.MaxBars} bars, from before to");
        }

        IReadOnlyList<Database.Ticks.Bar> bars;
        try
        {
            bars = await WithinTimeoutAsync(
                () => history.ReadBarsAsync(request.Symbol, interval, from, to, context.CancellationToken, options.Value.MaxBarsScannedTicks),
                context.CancellationToken);
        }
        catch (ScanLimitExceededException)
        {
            throw Invalid($"from/to: {HistoryEndpoints.TooManyTicks(request.Symbol, options.Value.MaxBarsScannedTicks)}");
        }

        var response = new GetBarsResponse();
        response.Bars.AddRange(bars.Select(GrpcMapping.ToMessage));
        return response;
    }

    public override async Task<GetQuotesResponse> GetQuotes(GetQuotesRequest request, ServerCallContext context)
    {
        foreach (var symbol in request.Symbols)
        {
            CheckSymbol(symbol);
        }

        var caller = GrpcCaller.Require(context, Scopes.Subscribe, request.Symbols);
        await feed.Started.WaitAsync(context.CancellationToken);
        var quotes = request.Symbols.Count == 0
            ? feed.Quotes.Where(q => caller.Covers(q.Symbol)).OrderBy(q => q.Symbol, StringComparer.Ordinal)
            : request.Symbols.Distinct(StringComparer.Ordinal).Select(s => feed.TryGetQuote(s, out var q) ? q : null).OfType<Quote>();
        var response = new GetQuotesResponse();
        var epoch = feed.Epoch;
        response.Quotes.AddRange(quotes.Select(q =>
        {
            var snapshot = GrpcMapping.Quote(q, QuoteFields.All, QuoteMessage.Types.Kind.Snapshot, 1);
            snapshot.Epoch = epoch;
            return snapshot;
        }));
        return response;
    }

    /// <summary>A query bound, checked as the HTTP API checks it: InvalidArgument naming the field, never Internal.</summary>
    private static DateTimeOffset? Bound(string name, Google.Protobuf.WellKnownTypes.Timestamp? value)
    {
        if (value is null)
        {
            return null;
        }

        var converted = SafeTimestamp(value);
        return converted is not null && HistoryEndpoints.ExplainDate(name, converted) is null
            ? converted
            : throw Invalid(HistoryEndpoints.ExplainDate(name, DateTimeOffset.MinValue)!);
    }

    /// <summary>A history read cancelled by the history pool's statement_timeout is DeadlineExceeded saying so.</summary>
    private static async Task<T> WithinTimeoutAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read();
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.QueryCanceled && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, HistoryEndpoints.TooSlow));
        }
    }

    private static void CheckSymbol(string symbol)
    {
        if (Symbols.Explain(symbol) is { } why)
        {
            throw Invalid($"symbol: {why}");
        }
    }
}
