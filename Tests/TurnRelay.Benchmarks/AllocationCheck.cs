using System.Diagnostics;

namespace Ticker.TurnRelay.Benchmarks;

/// <summary>
/// A quick check without BenchmarkDotNet: bytes allocated and time per call of each relay path,
/// over many calls after warm-up. Run with --alloc-check.
/// </summary>
internal static class AllocationCheck
{
    public static void Run()
    {
        var bench = new RelayPathBenchmarks();
        bench.Setup();
        (string Name, Func<int> Call)[] paths =
        [
            (nameof(bench.ClientChannelDataToPeer), bench.ClientChannelDataToPeer),
            (nameof(bench.ClientSendIndicationToPeer), bench.ClientSendIndicationToPeer),
            (nameof(bench.PeerDatagramToClientAsChannelData), bench.PeerDatagramToClientAsChannelData),
            (nameof(bench.PeerDatagramToClientAsDataIndication), bench.PeerDatagramToClientAsDataIndication),
        ];
        foreach (var (name, call) in paths)
        {
            for (var i = 0; i < 50_000; i++)
            {
                call();
                if (i % 100 == 0)
                {
                    bench.Drain();
                }
            }
            const int Calls = 20_000;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Calls; i++)
            {
                call();
                if (i % 100 == 0)
                {
                    bench.Drain();
                }
            }
            watch.Stop();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Console.WriteLine($"{name,-40} {allocated / (double)Calls,8:F1} B/call {watch.Elapsed.TotalMicroseconds / Calls,8:F2} us/call (incl. the receive at the destination)");
        }
        bench.Cleanup();
    }
}
