using Ticker.Benchmarks;

// make bench: end-to-end figures against the real local PostgreSQL (see docs/benchmarks.md).
return args switch
{
    ["store-append", ..] => await StoreAppendBenchmark.RunAsync(),
    ["store-queries", ..] => await StoreQueryBenchmark.RunAsync(),
    ["symbol-search", ..] => await SymbolSearchBenchmark.RunAsync(),
    ["ingest-drain", ..] => await IngestDrainBenchmark.RunAsync(),
    ["ingest-live", .. var rest] => await IngestLiveBenchmark.RunAsync(rest),
    ["fanout", .. var rest] => await FanOutBenchmark.RunAsync(rest),
    ["soak", .. var rest] => await SoakBenchmark.RunAsync(rest),
    ["hubs-walsender", .. var rest] => await HubsWalsenderBenchmark.RunAsync(rest),
    ["broker-latency", .. var rest] => await BrokerLatencyBenchmark.RunAsync(rest),
    ["drain", .. var rest] => PushDrainBenchmark.Run(rest),
    ["resubscribe", .. var rest] => await ResubscribeBenchmark.RunAsync(rest),
    ["auth-storm", .. var rest] => await AuthStormBenchmark.RunAsync(rest),
    ["idle", .. var rest] => await IdleConnectionsBenchmark.RunAsync(rest),
    ["signalr-server", .. var rest] => await SignalRPeer.RunAsync(rest),
    ["webrtc-loss", .. var rest] => await WebRtcBenchmark.RunLossAsync(rest),
    ["webrtc-sessions", .. var rest] => await WebRtcBenchmark.RunSessionsAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Ticker.Benchmarks store-append | store-queries | symbol-search | ingest-drain | ingest-live [ticks/s] [symbols] [seconds] | fanout ticker|ticker-jwt|signalr [ticks/s] [clients] [seconds] | hubs-walsender [hubs] [ticks/s] [seconds] | broker-latency [ticks/s] [seconds] | drain [--quick] | resubscribe [queues] [symbols] | soak [minutes] [subscribers] [hostile] [ticks/s] | idle [connections] | auth-storm [connections] | webrtc-loss [seconds] [loss%...] | webrtc-sessions [sessions]");
    return 2;
}
