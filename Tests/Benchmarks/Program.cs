using Ticker.Benchmarks;

// make bench: end-to-end figures against the real local PostgreSQL (see docs/benchmarks.md).
return args switch
{
    ["store-append", ..] => await StoreAppendBenchmark.RunAsync(),
    ["store-queries", ..] => await StoreQueryBenchmark.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Ticker.Benchmarks store-append | store-queries");
    return 2;
}
