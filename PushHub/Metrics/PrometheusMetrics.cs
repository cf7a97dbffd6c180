using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Ticker.PushHub.Metrics;

/// <summary>
/// Collects Ticker's own instruments (meters named <c>Ticker.*</c>) and writes them in the
/// Prometheus text format at <c>/metrics</c>: counters as <c>_total</c>, up-down counters and
/// gauges as gauges, histograms with cumulative buckets. Dots in names become underscores.
/// </summary>
internal sealed class PrometheusMetrics : IDisposable
{
    private static readonly double[] Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();

    public PrometheusMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Ticker.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = group.Key;
            var name = instrument.Name.Replace('.', '_').Replace('-', '_');
            var kind = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> => "counter",
                Histogram<double> or Histogram<long> => "histogram",
                _ => "gauge",
            };
            var metric = kind == "counter" ? name + "_total" : name;
            text.Append("# HELP ").Append(metric).Append(' ').Append(instrument.Description ?? instrument.Name).Append('\n');
            text.Append("# TYPE ").Append(metric).Append(' ').Append(kind).Append('\n');
            foreach (var (key, series) in group)
            {
                series.Write(text, metric, key.Labels, kind);
            }
        }

        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var histogram = instrument is Histogram<double> or Histogram<long>;
        var series = _series.GetOrAdd((instrument, labels), _ => new Series(histogram ? new long[Buckets.Length + 1] : null));
        var cumulative = instrument is Counter<long> or Counter<int> or Counter<double> or UpDownCounter<long> or UpDownCounter<int>;
        series.Add(value, cumulative);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var (key, value) in tags)
        {
            text.Append(text.Length == 0 ? "" : ",").Append(key.Replace('.', '_')).Append("=\"")
                .Append(Convert.ToString(value, CultureInfo.InvariantCulture)?.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n"))
                .Append('"');
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Series(long[]? buckets)
    {
        private readonly Lock _lock = new();
        private double _value;
        private long _count;

        public void Add(double value, bool cumulative)
        {
            lock (_lock)
            {
                if (buckets is null)
                {
                    _value = cumulative ? _value + value : value;
                    return;
                }

                _value += value;
                _count++;
                var i = Array.BinarySearch(Buckets, value);
                buckets[i < 0 ? ~i : i]++;
            }
        }

        public void Write(StringBuilder text, string metric, string labels, string kind)
        {
            lock (_lock)
            {
                if (kind != "histogram")
                {
                    Line(text, metric, labels, _value);
                    return;
                }

                long running = 0;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    running += buckets![i];
                    Line(text, metric + "_bucket", Join(labels, $"le=\"{Buckets[i].ToString(CultureInfo.InvariantCulture)}\""), running);
                }

                Line(text, metric + "_bucket", Join(labels, "le=\"+Inf\""), _count);
                Line(text, metric + "_sum", labels, _value);
                Line(text, metric + "_count", labels, _count);
            }
        }

        private static string Join(string a, string b) => a.Length == 0 ? b : a + "," + b;

        private static void Line(StringBuilder text, string name, string labels, double value) =>
            text.Append(name).Append(labels.Length == 0 ? "" : "{" + labels + "}").Append(' ')
                .Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
