using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet Tests/TurnRelay.Benchmarks/bin/Release/net10.0/Ticker.TurnRelay.Benchmarks.dll [--quick] --filter '*'
// In-process: the assembly name (Ticker.*) differs from the project file name, which BDN's
// out-of-process toolchain cannot follow.
if (args.Contains("--alloc-check"))
{
    Ticker.TurnRelay.Benchmarks.AllocationCheck.Run();
    return;
}
var quick = args.Contains("--quick");
var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance.AddJob(job);
BenchmarkSwitcher.FromAssembly(typeof(Ticker.TurnRelay.Benchmarks.CodecBenchmarks).Assembly)
    .Run([.. args.Where(a => a != "--quick")], config);
