using System.Globalization;
using System.Text;

namespace ModelZoo.Server.Hosting;

/// <summary>
/// Counters and histograms the server exposes at <c>/metrics</c> in the Prometheus text exposition format
/// (version 0.0.4): request counts by route and status, request latency, batch sizes and queue depth per model, and
/// the time each model's pipeline spends per stage (decode, preprocess, inference, postprocess).
/// Thread-safe.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128];

    private readonly object _gate = new();
    private readonly SortedDictionary<(string Route, int Status), long> _requests = [];
    private readonly SortedDictionary<string, Histogram> _latency = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Histogram> _batches = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _loads = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _evictions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string Model, string Stage), (double Seconds, long Images)> _stages = [];
    private Func<IReadOnlyDictionary<string, int>> _queueDepths = () => new Dictionary<string, int>();

    /// <summary>Counts one finished request and its duration.</summary>
    public void ObserveRequest(string route, int status, TimeSpan duration)
    {
        lock (_gate)
        {
            _requests[(route, status)] = _requests.GetValueOrDefault((route, status)) + 1;
            Get(_latency, route, LatencyBuckets).Observe(duration.TotalSeconds);
        }
    }

    /// <summary>Counts one inference call of <paramref name="size"/> requests on a model.</summary>
    public void ObserveBatch(string handle, int size)
    {
        lock (_gate)
        {
            Get(_batches, handle, BatchBuckets).Observe(size);
        }
    }

    /// <summary>Adds the time a model's pipeline spent per stage on a batch (<paramref name="timings"/>: the pipeline's
    /// totals since the previous batch). Decoding is counted by <see cref="ObserveDecode"/> where the server decodes.</summary>
    public void ObserveStages(string handle, ModelZoo.Tasks.StageTimings timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        lock (_gate)
        {
            AddStage(handle, "preprocess", timings.Preprocess, timings.Images);
            AddStage(handle, "inference", timings.Inference, timings.Images);
            AddStage(handle, "postprocess", timings.Postprocess, timings.Images);
            if (timings.Decode > TimeSpan.Zero)
            {
                AddStage(handle, "decode", timings.Decode, timings.Images);
            }
        }
    }

    /// <summary>Adds the decoding of one request's image for a model (the server decodes before the pipeline runs).</summary>
    public void ObserveDecode(string handle, TimeSpan duration)
    {
        lock (_gate)
        {
            AddStage(handle, "decode", duration, 1);
        }
    }

    private void AddStage(string handle, string stage, TimeSpan duration, long images)
    {
        var (seconds, count) = _stages.GetValueOrDefault((handle, stage));
        _stages[(handle, stage)] = (seconds + duration.TotalSeconds, count + images);
    }

    /// <summary>Counts a model load.</summary>
    public void CountLoad(string handle)
    {
        lock (_gate)
        {
            _loads[handle] = _loads.GetValueOrDefault(handle) + 1;
        }
    }

    /// <summary>Counts a model eviction.</summary>
    public void CountEviction(string handle)
    {
        lock (_gate)
        {
            _evictions[handle] = _evictions.GetValueOrDefault(handle) + 1;
        }
    }

    /// <summary>Where the queue-depth gauge reads its values (requests waiting per loaded model).</summary>
    internal void SetQueueDepthSource(Func<IReadOnlyDictionary<string, int>> source) => _queueDepths = source;

    /// <summary>Number of inference calls recorded for a model, and how many of them held more than one request.</summary>
    public (long Batches, long Batched) BatchCounts(string handle)
    {
        lock (_gate)
        {
            if (!_batches.TryGetValue(handle, out var histogram))
            {
                return (0, 0);
            }
            return (histogram.Count, histogram.Count - histogram.Cumulative(1));
        }
    }

    /// <summary>The Prometheus text exposition of every metric.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            text.Append("# HELP zoo_http_requests_total HTTP requests answered, by route and status.\n# TYPE zoo_http_requests_total counter\n");
            foreach (var ((route, status), count) in _requests)
            {
                text.Append("zoo_http_requests_total{route=\"").Append(Escape(route)).Append("\",status=\"")
                    .Append(status.ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            WriteHistograms(text, "zoo_http_request_duration_seconds", "Time from request start to response, by route.", "route", _latency);
            WriteHistograms(text, "zoo_batch_size", "Requests per inference call, by model.", "model", _batches);
            WriteStages(text);
            WriteCounter(text, "zoo_model_loads_total", "Models loaded.", _loads);
            WriteCounter(text, "zoo_model_evictions_total", "Models evicted to stay within the memory budget.", _evictions);
        }
        text.Append("# HELP zoo_queue_depth Requests waiting for a batch, by model.\n# TYPE zoo_queue_depth gauge\n");
        foreach (var (model, depth) in _queueDepths().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("zoo_queue_depth{model=\"").Append(Escape(model)).Append("\"} ").Append(depth.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    private static Histogram Get(SortedDictionary<string, Histogram> map, string key, double[] buckets)
    {
        if (!map.TryGetValue(key, out var histogram))
        {
            map[key] = histogram = new Histogram(buckets);
        }
        return histogram;
    }

    private void WriteStages(StringBuilder text)
    {
        text.Append("# HELP zoo_stage_seconds Time a model's pipeline spent per stage, summed over the images counted.\n# TYPE zoo_stage_seconds summary\n");
        foreach (var ((model, stage), (seconds, images)) in _stages)
        {
            var labels = $"{{model=\"{Escape(model)}\",stage=\"{stage}\"}} ";
            text.Append("zoo_stage_seconds_sum").Append(labels).Append(Number(seconds)).Append('\n');
            text.Append("zoo_stage_seconds_count").Append(labels).Append(images.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void WriteCounter(StringBuilder text, string name, string help, SortedDictionary<string, long> values)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" counter\n");
        foreach (var (model, count) in values)
        {
            text.Append(name).Append("{model=\"").Append(Escape(model)).Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void WriteHistograms(StringBuilder text, string name, string help, string label, SortedDictionary<string, Histogram> histograms)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" histogram\n");
        foreach (var (key, histogram) in histograms)
        {
            var labels = $"{label}=\"{Escape(key)}\"";
            for (var i = 0; i < histogram.Bounds.Length; i++)
            {
                text.Append(name).Append("_bucket{").Append(labels).Append(",le=\"").Append(Number(histogram.Bounds[i])).Append("\"} ")
                    .Append(histogram.Cumulative(histogram.Bounds[i]).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            text.Append(name).Append("_bucket{").Append(labels).Append(",le=\"+Inf\"} ").Append(histogram.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append(name).Append("_sum{").Append(labels).Append("} ").Append(Number(histogram.Sum)).Append('\n');
            text.Append(name).Append("_count{").Append(labels).Append("} ").Append(histogram.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Label values escape backslash, double quote and line feed, as the exposition format requires.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] _counts = new long[bounds.Length];

        public double[] Bounds => bounds;
        public long Count { get; private set; }
        public double Sum { get; private set; }

        public void Observe(double value)
        {
            Count++;
            Sum += value;
            var index = Array.FindIndex(bounds, b => value <= b);
            if (index >= 0)
            {
                _counts[index]++;
            }
        }

        /// <summary>Observations at or below <paramref name="bound"/> (a bucket bound).</summary>
        public long Cumulative(double bound)
        {
            long total = 0;
            for (var i = 0; i < bounds.Length && bounds[i] <= bound; i++)
            {
                total += _counts[i];
            }
            return total;
        }
    }
}
