using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>
/// Per-node comparison of a float graph and its QDQ rewrite: both run on the same images with every float node
/// output exposed, and each node is scored by the error its output carries compared with the error its inputs
/// carried, so that the node where the int8 model starts to stray stands out from the nodes that only pass an
/// earlier error on.
/// </summary>
internal static class NodeComparison
{
    /// <summary>Images compared: a handful shows a systematic divergence, and every exposed tensor is kept per run.</summary>
    public const int MaxImages = 4;

    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    /// <summary>Compares <paramref name="floatModel"/> (the graph the plan was made on) with <paramref name="quantized"/>
    /// and returns every compared node, worst added error first.</summary>
    public static List<NodeDivergence> Compare(ModelProto floatModel, ModelProto quantized, OnnxModel? preprocess, ModelCard card,
        IReadOnlyList<RgbImage> images, SessionSettings settings)
    {
        var floatGraph = floatModel.Graph;
        var types = ElementTypes(floatGraph);
        var qIndex = new GraphIndex(quantized.Graph);
        var fIndex = new GraphIndex(floatGraph);
        var outputs = floatGraph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in floatGraph.Node)
        {
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                producers.TryAdd(output, node);
                // A tensor used only by a Relu/Clip was quantized to the clamp's bounds: it differs from fp32 where the
                // clamp cuts anyway, so it is judged after the clamp.
                if (types.GetValueOrDefault(output) == FloatType && qIndex.Producer(output) is not null
                    && ActivationRanges.FollowingClamp(fIndex, outputs, output) is null)
                {
                    pairs[output] = AsRead(qIndex, output);
                }
            }
        }
        if (pairs.Count == 0)
        {
            return [];
        }

        var sample = images.Take(MaxImages).ToList();
        var stats = pairs.Keys.ToDictionary(k => k, _ => new Stats(), StringComparer.Ordinal);
        using (var a = ExposedTensors.Open(floatModel, pairs.Keys, preprocess, card, settings))
        using (var b = ExposedTensors.Open(quantized, pairs.Values, preprocess, card, settings))
        {
            var ra = new ImageModelRunner(a, card);
            var rb = new ImageModelRunner(b, card);
            foreach (var image in sample)
            {
                var x = ra.Run(image);
                var y = rb.Run(image);
                foreach (var (name, qName) in pairs)
                {
                    if (x.Find(name) is { } fx && y.Find(qName) is { } fy)
                    {
                        stats[name].Add(ModelOutputs.Floats(fx), ModelOutputs.Floats(fy));
                    }
                }
            }
        }

        var errors = stats.Where(s => s.Value.Count > 0).ToDictionary(s => s.Key, s => s.Value.RelativeError, StringComparer.Ordinal);
        var received = new Dictionary<string, double>(StringComparer.Ordinal);
        double Received(string tensor, int depth)
        {
            if (errors.TryGetValue(tensor, out var e))
            {
                return e;
            }
            if (received.TryGetValue(tensor, out var r))
            {
                return r;
            }
            // A tensor the int8 graph no longer has (a Relu's input, absorbed into its producer): what reached it.
            r = depth < 16 && producers.TryGetValue(tensor, out var p)
                ? p.Input.Where(i => i.Length > 0).Select(i => Received(i, depth + 1)).DefaultIfEmpty(0).Max()
                : 0;
            received[tensor] = r;
            return r;
        }

        var result = new List<NodeDivergence>();
        foreach (var (name, s) in stats.Where(s => s.Value.Count > 0))
        {
            var node = producers[name];
            var input = node.Input.Where(i => i.Length > 0).Select(i => Received(i, 0)).DefaultIfEmpty(0).Max();
            result.Add(new NodeDivergence(OpsetUpgrader.NodeName(node), node.OpType, pairs[name], s.RelativeError, input, s.Cosine,
                s.MaxAbsError, (s.Low, s.High)));
        }
        return result.OrderByDescending(d => d.AddedError).ThenBy(d => d.Node, StringComparer.Ordinal).ToList();
    }

    /// <summary>The name the int8 graph's consumers read <paramref name="tensor"/> under: its DequantizeLinear output
    /// when it is quantized (the rounding is part of what the node hands on), else the tensor itself.</summary>
    private static string AsRead(GraphIndex index, string tensor)
    {
        var q = index.Consumers(tensor).FirstOrDefault(c => c.OpType == "QuantizeLinear" && c.Input[0] == tensor);
        var dq = q is null ? null : index.Consumers(q.Output[0]).FirstOrDefault(c => c.OpType == "DequantizeLinear");
        return dq?.Output[0] ?? tensor;
    }

    /// <summary>
    /// Element types of every tensor, from declarations where the graph has them, else from the operator: only
    /// float tensors are compared, and exposing an integer tensor as a float output would fail the session.
    /// </summary>
    internal static Dictionary<string, int> ElementTypes(GraphProto graph)
    {
        var index = new GraphIndex(graph);
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            if (index.DeclaredElementType(input.Name) is { } t)
            {
                types[input.Name] = t;
            }
        }
        foreach (var init in graph.Initializer)
        {
            types[init.Name] = init.DataType;
        }
        foreach (var node in graph.Node)
        {
            for (var k = 0; k < node.Output.Count; k++)
            {
                var output = node.Output[k];
                if (output.Length == 0)
                {
                    continue;
                }
                var inferred = index.DeclaredElementType(output) ?? Infer(node, k, types);
                if (inferred is { } t)
                {
                    types[output] = t;
                }
            }
        }
        return types;
    }

    private static int? Infer(NodeProto node, int output, Dictionary<string, int> types)
    {
        const int Int64 = (int)TensorProto.Types.DataType.Int64;
        const int Bool = (int)TensorProto.Types.DataType.Bool;
        int? InputType(int i) => i < node.Input.Count && types.TryGetValue(node.Input[i], out var t) ? t : null;
        var attribute = (string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
        switch (node.OpType)
        {
            case "Shape" or "Size" or "NonZero" or "ArgMax" or "ArgMin" or "NonMaxSuppression":
                return Int64;
            case "TopK":
                return output == 1 ? Int64 : InputType(0);
            case "Cast":
                return (int?)attribute("to")?.I;
            case "CastLike":
                return InputType(1);
            case "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual" or "Not" or "And" or "Or" or "Xor" or "IsNaN" or "IsInf":
                return Bool;
            case "Constant":
                return attribute("value")?.T?.DataType ?? (attribute("value_float") is not null || attribute("value_floats") is not null ? FloatType : Int64);
            case "ConstantOfShape":
                return attribute("value")?.T?.DataType ?? FloatType;
            case "DequantizeLinear":
                return FloatType;
            case "QuantizeLinear":
                return InputType(2) ?? (int)TensorProto.Types.DataType.Uint8;
            case "Where":
                return InputType(1);
            default:
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (InputType(i) is { } t)
                    {
                        return t;
                    }
                }
                return null;
        }
    }

    /// <summary>Sums over every compared element of every image.</summary>
    private sealed class Stats
    {
        private double _dot, _xx, _yy, _diff;

        public int Count { get; private set; }

        public double MaxAbsError { get; private set; }

        public double Low { get; private set; } = double.PositiveInfinity;

        public double High { get; private set; } = double.NegativeInfinity;

        public double RelativeError => _xx == 0 ? (_diff == 0 ? 0 : 1) : Math.Sqrt(_diff / _xx);

        public double Cosine => _xx == 0 && _yy == 0 ? 1 : _dot / Math.Sqrt(_xx * _yy + 1e-30);

        public void Add(float[] x, float[] y)
        {
            if (x.Length != y.Length)
            {
                return;
            }
            Count++;
            for (var i = 0; i < x.Length; i++)
            {
                double a = x[i], b = y[i], d = a - b;
                if (!double.IsFinite(a) || !double.IsFinite(b))
                {
                    // Infinite padding kept as such is no error; one side finite where the other is not is a whole miss.
                    if (!a.Equals(b))
                    {
                        _diff += _xx + 1;
                        MaxAbsError = double.PositiveInfinity;
                    }
                    continue;
                }
                _dot += a * b;
                _xx += a * a;
                _yy += b * b;
                _diff += d * d;
                MaxAbsError = Math.Max(MaxAbsError, Math.Abs(d));
                Low = Math.Min(Low, a);
                High = Math.Max(High, a);
            }
        }
    }
}
