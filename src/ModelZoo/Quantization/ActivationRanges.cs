using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>
/// Calibration: runs the float graph on the calibration images with the planned activation tensors added as graph
/// outputs, and reduces what each tensor held to one (low, high) range per <see cref="CalibrationMethod"/>.
/// </summary>
internal static class ActivationRanges
{
    /// <summary>
    /// Calibrates <paramref name="tensors"/>. Tensors that held an infinity or NaN on some image are left out of the
    /// ranges and returned in <c>NonFinite</c>: no uint8 range holds them (TensorFlow's max-pool padding is −∞, and
    /// a scale computed from it rounds every real value to one level), so they must stay in float.
    /// </summary>
    public static (Dictionary<string, (float Low, float High)> Ranges, HashSet<string> NonFinite) Collect(ModelProto floatModel,
        OnnxModel? preprocess, ModelCard card, IReadOnlyList<string> tensors, IReadOnlyList<RgbImage> images, QuantizationOptions options,
        SessionSettings settings)
    {
        using var probe = Probe.Open(floatModel, preprocess, card, tensors, images, settings);
        Dictionary<string, (float Low, float High)> ranges;
        if (options.Method == CalibrationMethod.Percentile)
        {
            ranges = PercentileRanges(probe, tensors, options.Percentile, images.Count);
        }
        else
        {
            var (low, high) = MinMaxRanges(probe);
            var graphInputs = floatModel.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            ranges = options.Method == CalibrationMethod.Entropy
                ? EntropyRanges(probe, tensors.Where(t => !probe.NonFinite.Contains(t)).ToList(), low, high, graphInputs)
                : tensors.Where(t => !probe.NonFinite.Contains(t)).ToDictionary(t => t, t => ((float)low[t], (float)high[t]), StringComparer.Ordinal);
        }
        foreach (var tensor in probe.NonFinite)
        {
            ranges.Remove(tensor);
        }
        return (ranges, probe.NonFinite);
    }

    /// <summary>Ops that move values without changing them, through which a following clamp still bounds a tensor.</summary>
    private static readonly HashSet<string> LayoutOps = new(StringComparer.Ordinal)
    {
        "Transpose", "Reshape", "Identity", "Squeeze", "Unsqueeze", "Flatten",
    };

    /// <summary>
    /// Narrows the range of each tensor whose only use is a Relu or Clip (Relu6), reached through layout-only ops
    /// (TensorFlow imports put a Transpose between a Conv and its activation): values outside the clamp's bounds
    /// are cut off anyway, so the uint8 levels go to the values that survive it. Without this, a depthwise
    /// convolution whose raw output spans −100..50 ahead of a Relu6 rounds its 0..6 survivors in steps of 0.6.
    /// </summary>
    public static void BoundByFollowingClamps(GraphProto graph, Dictionary<string, (float Low, float High)> ranges)
    {
        var index = new GraphIndex(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tensor in ranges.Keys.ToList())
        {
            if (FollowingClamp(index, outputs, tensor) is not { } clamp || ClampBounds(clamp, index) is not var (min, max))
            {
                continue;
            }
            var (low, high) = ranges[tensor];
            var bounded = (Math.Max(low, min), Math.Min(high, max));
            if (bounded.Item1 <= bounded.Item2)
            {
                ranges[tensor] = bounded;
            }
        }
    }

    /// <summary>The Relu or Clip that is the only use of <paramref name="tensor"/>, reached through layout-only ops
    /// with one consumer each; null when the tensor has another use.</summary>
    internal static NodeProto? FollowingClamp(GraphIndex index, HashSet<string> outputs, string tensor)
    {
        var current = tensor;
        for (var depth = 0; depth < 8 && !outputs.Contains(current); depth++)
        {
            var consumers = index.Consumers(current);
            if (consumers.Count != 1 || !GraphIndex.IsDefaultDomain(consumers[0].Domain) || consumers[0].Input[0] != current)
            {
                return null;
            }
            var next = consumers[0];
            if (next.OpType is "Relu" or "Clip")
            {
                return next;
            }
            if (!LayoutOps.Contains(next.OpType) || next.Output.Count != 1)
            {
                return null;
            }
            current = next.Output[0];
        }
        return null;
    }

    /// <summary>A Relu's or Clip's bounds; null when a Clip's bound is not a constant.</summary>
    private static (float Min, float Max)? ClampBounds(NodeProto clamp, GraphIndex index)
    {
        if (clamp.OpType == "Relu")
        {
            return (0f, float.PositiveInfinity);
        }
        float? Bound(int input, string attribute, float fallback)
        {
            if (input < clamp.Input.Count && clamp.Input[input].Length > 0)
            {
                return index.Constant(clamp.Input[input]) is { } t && TensorData.IsFloat(t) && TensorData.Floats(t) is [var v] ? v : null;
            }
            return clamp.Attribute.FirstOrDefault(a => a.Name == attribute)?.F ?? fallback;
        }
        return Bound(1, "min", float.NegativeInfinity) is { } min && Bound(2, "max", float.PositiveInfinity) is { } max ? (min, max) : null;
    }

    private static Dictionary<string, (float Low, float High)> PercentileRanges(Probe probe, IReadOnlyList<string> tensors, double percentile, int imageCount)
    {
        var low = new Dictionary<string, double>(StringComparer.Ordinal);
        var high = new Dictionary<string, double>(StringComparer.Ordinal);
        probe.RunAll((name, values) =>
        {
            // Averaged over the images: one outlier image does not set the range for all.
            var (lo, hi) = Percentiles(values, percentile);
            low[name] = low.GetValueOrDefault(name) + lo / imageCount;
            high[name] = high.GetValueOrDefault(name) + hi / imageCount;
        });
        return tensors.Where(t => !probe.NonFinite.Contains(t)).ToDictionary(t => t, t => ((float)low[t], (float)high[t]), StringComparer.Ordinal);
    }

    private static (Dictionary<string, double> Low, Dictionary<string, double> High) MinMaxRanges(Probe probe)
    {
        var low = new Dictionary<string, double>(StringComparer.Ordinal);
        var high = new Dictionary<string, double>(StringComparer.Ordinal);
        probe.RunAll((name, values) =>
        {
            var (lo, hi) = MinMax(values);
            low[name] = low.TryGetValue(name, out var l) ? Math.Min(l, lo) : lo;
            high[name] = high.TryGetValue(name, out var h) ? Math.Max(h, hi) : hi;
        });
        return (low, high);
    }

    /// <summary>
    /// Entropy: a second pass fills one histogram per tensor over the range the first pass found. A tensor that
    /// never goes below zero (after a Relu) gets the 256 uint8 levels on [0, max]; a signed one is histogrammed by
    /// magnitude and gets about half of them on each side.
    /// </summary>
    private static Dictionary<string, (float Low, float High)> EntropyRanges(Probe probe, IReadOnlyList<string> tensors,
        Dictionary<string, double> low, Dictionary<string, double> high, HashSet<string> graphInputs)
    {
        var histograms = tensors.ToDictionary(t => t, _ => new double[EntropyThreshold.Bins], StringComparer.Ordinal);
        var magnitude = tensors.ToDictionary(t => t, t => Math.Max(Math.Abs(low[t]), Math.Abs(high[t])), StringComparer.Ordinal);
        probe.RunAll((name, values) => AddMagnitudes(histograms[name], magnitude[name], values));
        var ranges = new Dictionary<string, (float Low, float High)>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            // The image input's range is set by the preprocessing, not by outliers: clipping it would shift every
            // saturated pixel (a white background) towards grey, so it keeps the range seen.
            if (graphInputs.Contains(t))
            {
                ranges[t] = ((float)low[t], (float)high[t]);
                continue;
            }
            var top = magnitude[t];
            var signed = low[t] < 0;
            var edge = EntropyThreshold.Best(histograms[t], signed ? 128 : 256);
            var threshold = top * edge / EntropyThreshold.Bins;
            ranges[t] = ((float)Math.Max(low[t], -threshold), (float)Math.Min(high[t], threshold));
        }
        return ranges;
    }

    private static void AddMagnitudes(double[] histogram, double top, float[] values)
    {
        if (top <= 0)
        {
            return;
        }
        var perBin = EntropyThreshold.Bins / top;
        foreach (var v in values)
        {
            // Exact zeros (most of a Relu's output) are exact at every threshold (the zero point is 0): left in,
            // their spike in the first bin would pull the search towards thresholds that merge nothing into it.
            if (v != 0)
            {
                var bin = (int)(Math.Abs(v) * perBin);
                histogram[Math.Min(bin, EntropyThreshold.Bins - 1)]++;
            }
        }
    }

    private static (double, double) MinMax(float[] values)
    {
        var lo = float.PositiveInfinity;
        var hi = float.NegativeInfinity;
        foreach (var v in values)
        {
            lo = MathF.Min(lo, v);
            hi = MathF.Max(hi, v);
        }
        return values.Length == 0 ? (0, 0) : (lo, hi);
    }

    private static (double, double) Percentiles(float[] values, double percentile)
    {
        if (values.Length == 0)
        {
            return (0, 0);
        }
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        var last = sorted.Length - 1;
        var upper = (int)Math.Round(last * percentile / 100.0);
        var lower = (int)Math.Round(last * (100.0 - percentile) / 100.0);
        return (sorted[Math.Clamp(lower, 0, last)], sorted[Math.Clamp(upper, 0, last)]);
    }

    /// <summary>The float graph with the planned tensors exposed as outputs, joined with its preprocessing graph,
    /// run on every calibration image in turn.</summary>
    private sealed class Probe : IDisposable
    {
        private readonly ModelSession session;
        private readonly ImageModelRunner runner;
        private readonly IReadOnlyList<string> tensors;
        private readonly IReadOnlyList<RgbImage> images;

        private Probe(ModelSession session, ModelCard card, IReadOnlyList<string> tensors, IReadOnlyList<RgbImage> images)
        {
            this.session = session;
            this.tensors = tensors;
            this.images = images;
            // The task runner feeds the input in the element type the graph takes (float, uint8, or int32 for MoveNet).
            runner = new ImageModelRunner(session, card);
        }

        public static Probe Open(ModelProto floatModel, OnnxModel? preprocess, ModelCard card, IReadOnlyList<string> tensors,
            IReadOnlyList<RgbImage> images, SessionSettings settings)
        {
            var session = ExposedTensors.Open(floatModel, tensors, preprocess, card, settings);
            try
            {
                return new Probe(session, card, tensors, images);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        /// <summary>Tensors that held an infinity or NaN on some image; their values are not handed on.</summary>
        public HashSet<string> NonFinite { get; } = new(StringComparer.Ordinal);

        /// <summary>Runs every image and hands each exposed tensor's values to <paramref name="visit"/>, except those of
        /// tensors in <see cref="NonFinite"/>.</summary>
        public void RunAll(Action<string, float[]> visit)
        {
            foreach (var image in images)
            {
                var outputs = runner.Run(image);
                foreach (var name in tensors)
                {
                    if (NonFinite.Contains(name))
                    {
                        continue;
                    }
                    var values = ModelOutputs.Floats(outputs.Find(name)!);
                    if (!AllFinite(values))
                    {
                        NonFinite.Add(name);
                        continue;
                    }
                    visit(name, values);
                }
            }
        }

        private static bool AllFinite(float[] values)
        {
            foreach (var v in values)
            {
                if (!float.IsFinite(v))
                {
                    return false;
                }
            }
            return true;
        }

        public void Dispose() => session.Dispose();
    }
}
