using Ticker.Database;
using Ticker.Ingest;
using Ticker.Ingest.Broker;
using Ticker.PushHub;
using Ticker.PushHub.Grpc;
using Ticker.PushHub.History;
using Ticker.PushHub.Identity;
using Ticker.PushHub.Metrics;
using Ticker.PushHub.Operations;
using Ticker.PushHub.Push;
using Ticker.PushHub.Reference;
using Ticker.PushHub.Turn;
using Ticker.PushHub.WebRtc;

if (args is [CommandLine.Import, ..])
{
    return await CommandLine.RunImportAsync(args[1..]);
}

if (args is [CommandLine.ImportSymbols, ..])
{
    return await CommandLine.RunImportSymbolsAsync(args[1..]);
}

if (args is [CommandLine.Retention, ..])
{
    return await CommandLine.RunRetentionAsync(args[1..]);
}

if (args is [CommandLine.Epoch, ..])
{
    return await CommandLine.RunEpochAsync(args[1..]);
}

if (args is [TokenCommand.Name, ..])
{
    return await TokenCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddTickerDatabase();
builder.AddTickerFeeds();
builder.AddTickerPipeline();
builder.AddTickerIdentity();
builder.AddPushHub();
builder.AddTickerGrpc();
builder.AddSymbolApi();
builder.AddTickerTelemetry();
builder.AddBundledTurnRelay();
builder.AddWebRtc();
builder.Services.AddProblemDetails();
builder.AddTickerOperations();
builder.AddTickerProxies();

var app = builder.Build();
app.UseTickerProxies();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseTickerIdentity();
app.MapTickerOperations();
app.MapTickerTelemetry();
app.MapHistoryApi();
app.MapSymbolApi();
// A publisher serves no subscribers: neither /ws nor the gRPC services exist there (health and metrics do).
if (IngestMode.Read(app.Configuration) != IngestMode.Publisher)
{
    app.MapPushHub();
    app.MapTickerGrpc();
}

app.MapTurnCredentials();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
await app.RunAsync();
return 0;

/// <summary>The host's entry point; public so tests can start it through WebApplicationFactory.</summary>
public partial class Program;
