using Grpc.Core;
using Ticker.Database.Reference;
using Ticker.PushHub.Grpc.V1;
using Ticker.PushHub.Identity;
using Ticker.PushHub.Reference;

namespace Ticker.PushHub.Grpc;

/// <summary>The symbol directory, as <see cref="SymbolEndpoints"/> serves it over HTTP.</summary>
internal sealed partial class TickerGrpcService
{
    public override async Task<SearchSymbolsResponse> SearchSymbols(SearchSymbolsRequest request, ServerCallContext context)
    {
        var limit = request.Limit == 0 ? SymbolEndpoints.DefaultLimit : request.Limit;
        if ((SymbolEndpoints.ExplainQuery(request.Q) ?? SymbolEndpoints.ExplainLimit(limit)) is { } why)
        {
            throw Invalid(why);
        }

        var caller = GrpcCaller.Require(context, Scopes.History, []);
        var found = await WithinTimeoutAsync(() => symbolDirectory.SearchAsync(request.Q, limit, context.CancellationToken), context.CancellationToken);
        var response = new SearchSymbolsResponse();
        response.Symbols.AddRange(found.Where(e => caller.Covers(e.Symbol)).Select(ToMessage));
        return response;
    }

    public override async Task<SymbolInfo> GetSymbol(GetSymbolRequest request, ServerCallContext context)
    {
        CheckSymbol(request.Symbol);
        GrpcCaller.Require(context, Scopes.History, [request.Symbol]);
        var entry = await WithinTimeoutAsync(() => symbolDirectory.GetAsync(request.Symbol, context.CancellationToken), context.CancellationToken);
        return entry is null
            ? throw new RpcException(new Status(StatusCode.NotFound, SymbolEndpoints.NotListed(request.Symbol)))
            : ToMessage(entry);
    }

    public override async Task<ListUnknownSymbolsResponse> ListUnknownSymbols(ListUnknownSymbolsRequest request, ServerCallContext context)
    {
        var caller = GrpcCaller.Require(context, Scopes.History, []);
        var response = new ListUnknownSymbolsResponse();
        response.Symbols.AddRange((await unknownSymbols.ListAsync(context.CancellationToken)).Where(caller.Covers));
        return response;
    }

    private static SymbolInfo ToMessage(SymbolEntry e) => new()
    {
        Symbol = e.Symbol, Name = e.Name, Venue = e.Venue, AssetClass = e.AssetClass, Currency = e.Currency, TimeZone = e.TimeZone,
        Calendar = e.Calendar, TickSize = GrpcMapping.Text(e.TickSize), Active = e.Active,
    };
}
