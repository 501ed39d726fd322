using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>
/// Brings an inference graph from an older default-domain opset to <see cref="Target"/>, which per-channel
/// DequantizeLinear needs. Only ops whose meaning is known across the gap are accepted: those unchanged for
/// inference, those whose attributes moved to inputs (Pad, Split, Squeeze, Unsqueeze, Clip), which are rewritten, and
/// Softmax/LogSoftmax over the last axis (where the opset-13 change of meaning makes no difference).
/// Anything else is refused with the node that uses it, never guessed at.
/// </summary>
internal static class OpsetUpgrader
{
    public const int Target = 13;

    /// <summary>Ops whose inference semantics are the same from opset 7 to 13 (new attributes default to the old behaviour).</summary>
    private static readonly HashSet<string> Unchanged = new(StringComparer.Ordinal)
    {
        "Conv", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Add", "Sub", "Mul", "Div", "Sum", "Max", "Min", "Sqrt", "Exp",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Reshape", "Flatten", "Gemm", "MatMul",
        "Concat", "Identity", "Transpose", "Constant", "Shape", "Gather", "Cast", "Abs", "Neg", "LRN",
    };

    /// <summary>Rewrites <paramref name="proto"/> in place; no-op when its default opset is already at least <see cref="Target"/>.</summary>
    /// <exception cref="QuantizationRefusedException">A node's op cannot be carried to the target opset.</exception>
    public static void Upgrade(ModelProto proto)
    {
        var opset = proto.OpsetImport.FirstOrDefault(o => GraphIndex.IsDefaultDomain(o.Domain));
        var from = opset?.Version ?? 1;
        if (from >= Target)
        {
            return;
        }
        if (from < 7)
        {
            throw new QuantizationRefusedException(ZooErrors.QuantizeOpset,
                $"the model uses opset {from}, older than 7, whose operator semantics this quantizer does not carry forward; re-export the model at opset 13 or later.");
        }
        var graph = proto.Graph;
        var index = new GraphIndex(graph);
        foreach (var node in graph.Node)
        {
            if (GraphIndex.IsDefaultDomain(node.Domain) && !Unchanged.Contains(node.OpType))
            {
                UpgradeNode(graph, index, node, from);
            }
        }
        opset!.Version = Target;
        // Opset 13 needs IR version 7; initializers listed as graph inputs (old IR habit) would read as overridable
        // inputs and keep ONNX Runtime from folding the weight DequantizeLinear nodes into integer kernels.
        proto.IrVersion = Math.Max(proto.IrVersion, 7);
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
    }

    private static void UpgradeNode(GraphProto graph, GraphIndex index, NodeProto node, long from)
    {
        switch (node.OpType)
        {
            case "BatchNormalization":
                if (GraphIndex.IntAttribute(node, "spatial", 1) != 1)
                {
                    throw Refuse(node, from, "it uses spatial=0 (per-activation statistics), which opset 9 removed");
                }
                RemoveAttribute(node, "spatial");
                break;
            case "Dropout":
                DropoutToIdentity(node, from);
                break;
            case "Pad":
                UpgradePad(graph, index, node);
                break;
            case "Split":
                MoveIntsToInput(graph, index, node, "split", required: false);
                break;
            case "Squeeze":
            case "Unsqueeze":
                MoveIntsToInput(graph, index, node, "axes", required: node.OpType == "Unsqueeze");
                break;
            case "Clip" when from < 11:
                ClipBoundsToInputs(graph, index, node);
                break;
            case "Clip":
                break;
            case "Softmax":
            case "LogSoftmax":
                UpgradeSoftmax(index, node, from);
                break;
            default:
                throw Refuse(node, from, $"{node.OpType} is not among the operators whose meaning this quantizer carries from opset {from} to {Target}");
        }
    }

    private static void DropoutToIdentity(NodeProto node, long from)
    {
        // Inference-only graph: Dropout is the identity, and its ratio moved from attribute to input in opset 12.
        if (node.Output.Count > 1 && node.Output[1].Length > 0)
        {
            throw Refuse(node, from, "its mask output is used");
        }
        node.OpType = "Identity";
        node.Attribute.Clear();
        while (node.Output.Count > 1)
        {
            node.Output.RemoveAt(node.Output.Count - 1);
        }
    }

    private static void UpgradePad(GraphProto graph, GraphIndex index, NodeProto node)
    {
        MoveIntsToInput(graph, index, node, "pads", required: true);
        var value = node.Attribute.FirstOrDefault(a => a.Name == "value");
        if (value is not null && value.F != 0f)
        {
            var name = index.UniqueName(node.Output[0] + "_pad_value");
            graph.Initializer.Add(TensorData.Float(name, [value.F]));
            node.Input.Add(name);
        }
        RemoveAttribute(node, "value");
    }

    private static void ClipBoundsToInputs(GraphProto graph, GraphIndex index, NodeProto node)
    {
        var min = node.Attribute.FirstOrDefault(a => a.Name == "min")?.F ?? float.MinValue;
        var max = node.Attribute.FirstOrDefault(a => a.Name == "max")?.F ?? float.MaxValue;
        var minName = index.UniqueName(node.Output[0] + "_min");
        var maxName = index.UniqueName(node.Output[0] + "_max");
        graph.Initializer.Add(TensorData.Float(minName, [min]));
        graph.Initializer.Add(TensorData.Float(maxName, [max]));
        node.Input.Add(minName);
        node.Input.Add(maxName);
        RemoveAttribute(node, "min");
        RemoveAttribute(node, "max");
    }

    private static void UpgradeSoftmax(GraphIndex index, NodeProto node, long from)
    {
        // Before opset 13 the input is flattened to 2-D at `axis`; from 13 the op runs along `axis` alone.
        // The two agree when `axis` is the last axis, the usual classifier case.
        var rank = index.DeclaredShape(node.Input[0])?.Count ?? index.DeclaredShape(node.Output[0])?.Count
            ?? (index.Producer(node.Input[0])?.OpType == "Gemm" ? 2 : (int?)null);
        var axis = GraphIndex.IntAttribute(node, "axis", 1);
        if (rank is null || (axis < 0 ? axis + rank : axis) != rank - 1)
        {
            throw Refuse(node, from, rank is null
                ? "the rank of its input is unknown, and its meaning changed in opset 13 unless the axis is the last one"
                : $"axis {axis} of a rank-{rank} input is not the last axis, and opset 13 changed what that means");
        }
        RemoveAttribute(node, "axis");
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = rank.Value - 1 });
    }

    private static void MoveIntsToInput(GraphProto graph, GraphIndex index, NodeProto node, string attribute, bool required)
    {
        var found = node.Attribute.FirstOrDefault(a => a.Name == attribute);
        if (found is null)
        {
            if (required)
            {
                throw new QuantizationRefusedException(ZooErrors.QuantizeOpset,
                    $"node '{NodeName(node)}' ({node.OpType}) has no '{attribute}' attribute; the model is malformed, re-export it.");
            }
            return;
        }
        var name = index.UniqueName((node.Output.FirstOrDefault() ?? node.OpType) + "_" + attribute);
        graph.Initializer.Add(TensorData.Int64(name, found.Ints.ToArray(), found.Ints.Count));
        node.Input.Add(name);
        node.Attribute.Remove(found);
    }

    private static void RemoveAttribute(NodeProto node, string name)
    {
        if (node.Attribute.FirstOrDefault(a => a.Name == name) is { } found)
        {
            node.Attribute.Remove(found);
        }
    }

    internal static string NodeName(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? node.OpType;

    private static QuantizationRefusedException Refuse(NodeProto node, long from, string why) =>
        new(ZooErrors.QuantizeUnsupportedOp,
            $"cannot bring node '{NodeName(node)}' ({node.OpType}) from opset {from} to {Target}: {why}; re-export the model at opset {Target} or later.");
}
