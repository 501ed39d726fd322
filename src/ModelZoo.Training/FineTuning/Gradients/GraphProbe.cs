using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;

namespace ModelZoo.Training.FineTuning.Gradients;

/// <summary>Runs a graph once with every float tensor it computes exposed as an output, to learn their shapes.</summary>
internal static class GraphProbe
{
    private static readonly HashSet<string> NonFloatOps = new(StringComparer.Ordinal)
    {
        "Shape", "Size", "ArgMax", "ArgMin", "NonZero", "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or",
        "Xor", "TopK", "Cast", "ConstantOfShape", "Range",
    };

    /// <summary>Shapes of the fed inputs and of every float tensor the nodes compute.</summary>
    public static Dictionary<string, long[]> Shapes(ModelProto model, IReadOnlyList<NamedTensor> feeds, SessionSettings settings)
    {
        var probe = model.Clone();
        var graph = probe.Graph;
        var declared = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => !NonFloatOps.Contains(n.OpType)))
        {
            foreach (var output in node.Output.Where(o => o.Length > 0 && declared.Add(o)))
            {
                graph.Output.Add(GraphEmitter.FloatValue(output));
            }
        }

        graph.ValueInfo.Clear();
        var shapes = feeds.ToDictionary(f => f.Name, f => f.Shape, StringComparer.Ordinal);
        using var session = ModelSession.Open(OnnxModel.FromProto(probe), settings with { DynamicBatch = false });
        foreach (var tensor in session.Run(feeds))
        {
            shapes[tensor.Name] = tensor.Shape;
        }

        return shapes;
    }
}
