using System.Diagnostics;
using System.Globalization;
using Ticker.PushHub.Push;

namespace Ticker.Benchmarks;

/// <summary>
/// The fan-out's subscribe and disconnect cost: N queues (connections after a hub restart) all
/// subscribing to the same 1,000 symbols at once, then all going away. In process, no sockets: the
/// figure is the fan-out's own bookkeeping, which runs on the subscribers' and the pipeline's threads.
/// </summary>
internal static class ResubscribeBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var queues = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var symbolCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var symbols = Enumerable.Range(0, symbolCount).Select(i => $"S{i}").ToList();

        // Add and Remove touch neither the pipeline nor the metrics.
        var fanOut = new FanOut(null!, null!);
        var subscribers = Enumerable.Range(0, queues).Select(_ => new SubscriberQueue()).ToArray();

        var subscribe = Stopwatch.StartNew();
        Parallel.ForEach(subscribers, queue => fanOut.Add(queue, symbols));
        subscribe.Stop();

        var disconnect = Stopwatch.StartNew();
        Parallel.ForEach(subscribers, fanOut.RemoveEverywhere);
        disconnect.Stop();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resubscribe: {queues:N0} queues x {symbolCount:N0} symbols on {Environment.ProcessorCount} cores: subscribe all {subscribe.Elapsed.TotalSeconds:F2} s, disconnect all {disconnect.Elapsed.TotalSeconds:F2} s"));
        return Task.FromResult(0);
    }
}
