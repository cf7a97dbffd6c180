using System.Diagnostics;
using Ticker.Database.Ticks;
using Ticker.Testing;

namespace Ticker.Database.Tests;

/// <summary>The tick store's spans (ActivitySource Ticker.Database): one per appended batch and per history query.</summary>
public sealed class TracingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 30, 0, TimeSpan.Zero);
    private readonly TestDatabase _database = new();
    private readonly List<Activity> _spans = [];
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DatabaseActivity.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_spans)
                {
                    _spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _database.DisposeAsync();
    }

    /// <summary>The one span named <paramref name="name"/> under <paramref name="root"/> (test classes run side by side).</summary>
    private Activity Span(string name, Activity root)
    {
        lock (_spans)
        {
            return Assert.Single(_spans, s => s.OperationName == name && s.TraceId == root.TraceId);
        }
    }

    [Fact]
    public async Task AppendAndQueries_OneSpanEach_WithSymbolAndRows()
    {
        var store = new TickStore(_database.DataSource);
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        await store.AppendAsync(Enumerable.Range(0, 5).Select(i => new Tick("TRACE", T0.AddMinutes(i), 10 + i, 1)));
        await store.ReadPageAsync(new TickQuery("TRACE", 3));
        await store.ReadBarsAsync("TRACE", TimeSpan.FromMinutes(1), T0, T0.AddHours(1));
        root.Stop();

        Assert.Equal(5L, Span("ticks.append", root).GetTagItem("ticker.rows"));
        var page = Span("ticks.page", root);
        Assert.Equal(("TRACE", 4), (page.GetTagItem("ticker.symbol"), page.GetTagItem("ticker.rows"))); // the limit, and one to know there is more
        Assert.Equal(5, Span("bars", root).GetTagItem("ticker.rows"));
    }
}
