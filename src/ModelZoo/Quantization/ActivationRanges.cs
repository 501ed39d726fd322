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
    public static Dictionary<string, (float Low, float High)> Collect(ModelProto floatModel, OnnxModel? preprocess, InputSpec spec,
        IReadOnlyList<string> tensors, IReadOnlyList<RgbImage> images, QuantizationOptions options, SessionSettings settings)
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
            model = GraphComposer.Prepend(preprocess, model, spec.Name);
        }
        using var session = ModelSession.Open(model, settings);
        var input = TaskSessions.ImageInput(session, spec).Name;
        var length = ImagePreprocessor.TensorLength(spec);
        long[] shape = spec.Layout == TensorLayout.Nchw
            ? [1, spec.ColorOrder == ColorOrder.Gray ? 1 : 3, spec.Height, spec.Width]
            : [1, spec.Height, spec.Width, spec.ColorOrder == ColorOrder.Gray ? 1 : 3];

        var low = new Dictionary<string, double>(StringComparer.Ordinal);
        var high = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var tensor = new float[length];
            ImagePreprocessor.WriteTensor(image, spec, tensor);
            var outputs = session.Run(input, tensor, shape, tensors);
            foreach (var output in outputs)
            {
                var values = output.AsFloats();
                var (lo, hi) = options.Method == CalibrationMethod.Percentile ? Percentiles(values, options.Percentile) : MinMax(values);
                if (options.Method == CalibrationMethod.Percentile)
                {
                    // Averaged over the images: one outlier image does not set the range for all.
                    low[output.Name] = low.GetValueOrDefault(output.Name) + lo / images.Count;
                    high[output.Name] = high.GetValueOrDefault(output.Name) + hi / images.Count;
                }
                else
                {
                    low[output.Name] = low.TryGetValue(output.Name, out var l) ? Math.Min(l, lo) : lo;
                    high[output.Name] = high.TryGetValue(output.Name, out var h) ? Math.Max(h, hi) : hi;
                }
            }
        }
        return tensors.ToDictionary(t => t, t => ((float)low[t], (float)high[t]), StringComparer.Ordinal);
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
}
