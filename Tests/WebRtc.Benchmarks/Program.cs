using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet Tests/WebRtc.Benchmarks/bin/Release/net10.0/Ticker.WebRtc.Benchmarks.dll [--quick] --filter '*'
// In-process: the assembly name (Ticker.*) differs from the project file name, which BDN's
// out-of-process toolchain cannot follow.
var quick = args.Contains("--quick");
var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
BenchmarkSwitcher.FromAssembly(typeof(Ticker.WebRtc.Benchmarks.DataChannelBenchmarks).Assembly)
    .Run([.. args.Where(a => a != "--quick")], DefaultConfig.Instance.AddJob(job));
