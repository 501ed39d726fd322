using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>
/// Which nodes of a (BatchNorm-folded, opset 13) graph run in int8 and which activation tensors get a
/// QuantizeLinear/DequantizeLinear pair. The choice follows what ONNX Runtime's CPU provider fuses into integer
/// kernels: DQ → Conv/Gemm/MatMul/Add/pool → Q groups, with a Relu right after such a node absorbed into the
/// QuantizeLinear (a uint8 range starting at zero clamps exactly as Relu does).
/// </summary>
internal sealed class QuantizationPlan
{
    private static readonly HashSet<string> IntegerOps = new(StringComparer.Ordinal)
    {
        "Conv", "Gemm", "MatMul", "Add", "MaxPool", "AveragePool", "GlobalAveragePool",
    };

    /// <summary>Ops that pass a value towards the output without new arithmetic worth quantizing (for head detection).</summary>
    private static readonly HashSet<string> HeadTail = new(StringComparer.Ordinal)
    {
        "Softmax", "LogSoftmax", "Flatten", "Reshape", "Identity", "Squeeze", "Transpose", "Sigmoid",
    };

    private QuantizationPlan(HashSet<NodeProto> integerNodes, Dictionary<string, NodeProto> fusedRelus, List<string> tensors,
        HashSet<string> allConsumersDequantize, List<string> floatNodes)
    {
        IntegerNodes = integerNodes;
        FusedRelus = fusedRelus;
        Tensors = tensors;
        AllConsumersDequantize = allConsumersDequantize;
        FloatNodes = floatNodes;
    }

    /// <summary>Nodes that run on dequantized int8 inputs (by reference: protobuf messages compare by value, and the rewrite edits them).</summary>
    public HashSet<NodeProto> IntegerNodes { get; }

    /// <summary>Relu nodes absorbed into the QuantizeLinear of their input, keyed by the Relu's output name.</summary>
    public Dictionary<string, NodeProto> FusedRelus { get; }

    /// <summary>Activation tensors (names in the unfused graph) to calibrate and quantize, in graph order.</summary>
    public List<string> Tensors { get; }

    /// <summary>Tensors whose every consumer must read the DequantizeLinear output (the producer is fused with its Q).</summary>
    public HashSet<string> AllConsumersDequantize { get; }

    /// <summary>Compute nodes left in float on purpose, by name.</summary>
    public List<string> FloatNodes { get; }

    /// <summary>Plans the graph. <paramref name="floatTensors"/> are activations that must stay in float (calibration
    /// saw infinities in them): they get no QuantizeLinear, and a node that would read one as an int8 input runs in
    /// float instead.</summary>
    public static QuantizationPlan Build(GraphProto graph, bool quantizeHead, int floatTail = 0, IReadOnlySet<string>? floatTensors = null)
    {
        floatTensors ??= new HashSet<string>(StringComparer.Ordinal);
        var index = new GraphIndex(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var head = quantizeHead ? new HashSet<NodeProto>(ReferenceEqualityComparer.Instance) : HeadNodes(graph, index);
        var tail = TailNodes(graph, index, head, floatTail);
        var (integer, floatFed) = SelectIntegerNodes(graph, index, head, tail, floatTensors);
        var fused = AbsorbedRelus(graph, index, integer, outputs, floatTensors);
        var (tensors, allConsumers) = QuantizedTensors(graph, index, integer, fused, outputs, floatTensors);
        // Inputs of integer nodes come first in graph order anyway; order by first appearance for stable names.
        var floatNodes = head.Concat(tail.Where(n => IntegerOps.Contains(n.OpType))).Concat(floatFed).Select(OpsetUpgrader.NodeName).ToList();
        return new QuantizationPlan(integer, fused, tensors, allConsumers, floatNodes);
    }

    /// <summary>The nodes that run in int8, and those that could but read a tensor that must stay float.</summary>
    private static (HashSet<NodeProto> Integer, List<NodeProto> FloatFed) SelectIntegerNodes(GraphProto graph, GraphIndex index,
        HashSet<NodeProto> head, HashSet<NodeProto> tail, IReadOnlySet<string> floatTensors)
    {
        var integer = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var floatFed = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (GraphIndex.IsDefaultDomain(node.Domain) && IntegerOps.Contains(node.OpType) && !head.Contains(node) && !tail.Contains(node)
                && Eligible(node, index))
            {
                if (ActivationInputs(node).Any(floatTensors.Contains))
                {
                    floatFed.Add(node);
                }
                else
                {
                    integer.Add(node);
                }
            }
        }
        return (integer, floatFed);
    }

    /// <summary>Relus absorbed into the integer node before them, by the Relu's output.</summary>
    private static Dictionary<string, NodeProto> AbsorbedRelus(GraphProto graph, GraphIndex index, HashSet<NodeProto> integer,
        HashSet<string> outputs, IReadOnlySet<string> floatTensors)
    {
        var fused = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var relu in graph.Node.Where(n => n.OpType == "Relu" && GraphIndex.IsDefaultDomain(n.Domain)))
        {
            var producer = index.Producer(relu.Input[0]);
            if (producer is not null && integer.Contains(producer) && producer.Output[0] == relu.Input[0]
                && index.Consumers(relu.Input[0]).Count == 1 && !outputs.Contains(relu.Input[0]) && !outputs.Contains(relu.Output[0])
                && !floatTensors.Contains(relu.Output[0]))
            {
                fused[relu.Output[0]] = relu;
            }
        }
        return fused;
    }

    /// <summary>The tensors that get a quantize/dequantize pair, in graph order, and those an integer node writes.</summary>
    private static (List<string> Tensors, HashSet<string> AllConsumers) QuantizedTensors(GraphProto graph, GraphIndex index,
        HashSet<NodeProto> integer, Dictionary<string, NodeProto> fused, HashSet<string> outputs, IReadOnlySet<string> floatTensors)
    {
        var tensors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var allConsumers = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name, bool producedByInteger)
        {
            if (name.Length == 0 || outputs.Contains(name) || index.IsConstant(name) || floatTensors.Contains(name))
            {
                return;
            }
            if (producedByInteger)
            {
                allConsumers.Add(name);
            }
            if (seen.Add(name))
            {
                tensors.Add(name);
            }
        }
        foreach (var input in graph.Input)
        {
            if (index.Consumers(input.Name).Any(integer.Contains))
            {
                Add(input.Name, false);
            }
        }
        foreach (var node in graph.Node.Where(integer.Contains))
        {
            foreach (var input in ActivationInputs(node))
            {
                Add(input, false);
            }
            var output = node.Output[0];
            // The tensor the integer node writes is the Relu's output when the Relu is absorbed.
            var relu = index.Consumers(output).FirstOrDefault(c => c.OpType == "Relu" && fused.ContainsKey(c.Output[0]));
            var written = relu?.Output[0] ?? output;
            // A pool gains nothing from an int8 output that only float nodes read (e.g. the pooled features
            // feeding a float head): it would just round the features. Conv/Gemm/Add need theirs to fuse.
            var floatReaders = node.OpType is "MaxPool" or "AveragePool" or "GlobalAveragePool"
                && !index.Consumers(written).Any(integer.Contains);
            if (!outputs.Contains(output) && !floatReaders)
            {
                Add(written, true);
            }
        }
        return (tensors, allConsumers);
    }

    /// <summary>The activation inputs of an integer node (weights and biases are handled separately).</summary>
    public static IEnumerable<string> ActivationInputs(NodeProto node) =>
        node.OpType == "Add" ? node.Input.Take(2) : node.Input.Take(1);

    private static bool Eligible(NodeProto node, GraphIndex index)
    {
        switch (node.OpType)
        {
            case "Conv":
                return node.Input.Count >= 2 && index.Constant(node.Input[1]) is { } w && TensorData.IsFloat(w)
                    && (node.Input.Count < 3 || node.Input[2].Length == 0 || index.Constant(node.Input[2]) is { } b && TensorData.IsFloat(b));
            case "MatMul":
                return index.Constant(node.Input[1]) is { } m && TensorData.IsFloat(m) && m.Dims.Count == 2;
            case "Gemm":
                var alpha = node.Attribute.FirstOrDefault(a => a.Name == "alpha")?.F ?? 1f;
                var beta = node.Attribute.FirstOrDefault(a => a.Name == "beta")?.F ?? 1f;
                return alpha == 1f && beta == 1f && GraphIndex.IntAttribute(node, "transA", 0) == 0
                    && index.Constant(node.Input[1]) is { } g && TensorData.IsFloat(g)
                    && (node.Input.Count < 3 || node.Input[2].Length == 0 || index.Constant(node.Input[2]) is { } c && TensorData.IsFloat(c) && c.Dims.Count == 1);
            case "Add":
                return node.Input.Count == 2 && !index.IsConstant(node.Input[0]) && !index.IsConstant(node.Input[1]);
            default:
                return true;
        }
    }

    /// <summary>
    /// The last <paramref name="count"/> weighted Conv/Gemm/MatMul nodes outside the head, in graph order, and every
    /// node after the first of them: in a topologically sorted graph that is the tail that computes the outputs from
    /// there (for a ResNet, its last block and the pooling).
    /// </summary>
    private static HashSet<NodeProto> TailNodes(GraphProto graph, GraphIndex index, HashSet<NodeProto> head, int count)
    {
        var tail = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        if (count <= 0)
        {
            return tail;
        }
        var nodes = graph.Node.ToList();
        var start = nodes.Count;
        var found = 0;
        for (var i = nodes.Count - 1; i >= 0 && found < count; i--)
        {
            var node = nodes[i];
            if (node.OpType is "Conv" or "Gemm" or "MatMul" && !head.Contains(node) && node.Input.Count >= 2 && index.IsConstant(node.Input[1]))
            {
                found++;
                start = i;
            }
        }
        for (var i = start; i < nodes.Count; i++)
        {
            tail.Add(nodes[i]);
        }
        return tail;
    }

    /// <summary>The Gemm/MatMul nodes that produce a graph output through only reshaping or normalising ops.</summary>
    private static HashSet<NodeProto> HeadNodes(GraphProto graph, GraphIndex index)
    {
        var heads = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (var output in graph.Output)
        {
            var node = index.Producer(output.Name);
            for (var depth = 0; node is not null && depth < 8; depth++)
            {
                if (node.OpType is "Gemm" or "MatMul")
                {
                    heads.Add(node);
                    break;
                }
                if (node.OpType == "Add" && index.Producer(node.Input[0]) is { OpType: "MatMul" } matmul && index.IsConstant(node.Input[1]))
                {
                    heads.Add(matmul);
                    break;
                }
                if (!HeadTail.Contains(node.OpType))
                {
                    break;
                }
                node = index.Producer(node.Input[0]);
            }
        }
        return heads;
    }
}
