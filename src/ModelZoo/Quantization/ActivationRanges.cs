using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;
using ModelZoo.Tasks;

namespace ModelZoo.Quantization;

/// <summary>
/// Calibration: runs the float graph on the calibration images with the planned activation tensors added as graph
/// outputs, and reduces what each tensor held to one (low, high) range per <see cref="CalibrationMethod"/>.
/// </summary>
internal static class ActivationRanges
{
    public static Dictionary<string, (float Low, float High)> Collect(ModelProto floatModel, OnnxModel? preprocess, ModelCard card,
        IReadOnlyList<string> tensors, IReadOnlyList<RgbImage> images, QuantizationOptions options, SessionSettings settings)
    {
        using var probe = Probe.Open(floatModel, preprocess, card, tensors, images, settings);
        if (options.Method == CalibrationMethod.Percentile)
        {
            return PercentileRanges(probe, tensors, options.Percentile, images.Count);
        }
        var (low, high) = MinMaxRanges(probe);
        if (options.Method != CalibrationMethod.Entropy)
        {
            return tensors.ToDictionary(t => t, t => ((float)low[t], (float)high[t]), StringComparer.Ordinal);
        }
        var graphInputs = floatModel.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        return EntropyRanges(probe, tensors, low, high, graphInputs);
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
        return tensors.ToDictionary(t => t, t => ((float)low[t], (float)high[t]), StringComparer.Ordinal);
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
            var probe = floatModel.Clone();
            var existing = probe.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in tensors.Where(t => !existing.Contains(t)))
            {
                probe.Graph.Output.Add(new ValueInfoProto
                {
                    Name = name,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                });
            }
            var model = OnnxModel.FromProto(probe);
            if (preprocess is not null)
            {
                model = GraphComposer.Prepend(preprocess, model, card.Input!.Name);
            }
            var session = ModelSession.Open(model, settings);
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

        /// <summary>Runs every image and hands each exposed tensor's values to <paramref name="visit"/>.</summary>
        public void RunAll(Action<string, float[]> visit)
        {
            foreach (var image in images)
            {
                var outputs = runner.Run(image);
                foreach (var name in tensors)
                {
                    visit(name, ModelOutputs.Floats(outputs.Find(name)!));
                }
            }
        }

        public void Dispose() => session.Dispose();
    }
}
