using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>
/// Removes a classifier's head so that the model returns its pooled feature vector: the backbone for transfer
/// learning. Works on float and operator-style int8 (QLinear*) graphs, and on models that already are feature
/// extractors (their output is just flattened and renamed).
/// </summary>
/// <remarks>
/// Auto-detection walks back from the single graph output over the head: Softmax, Identity, Dropout, bias Add,
/// DequantizeLinear, then the final linear layer (Gemm, MatMul or QLinearMatMul with a constant weight), then over
/// Flatten / Reshape / Squeeze / QuantizeLinear to the pooled tensor that feeds it. The feature size comes from
/// the recorded shape of that tensor, else from the removed layer's weight, else from the channel count of the
/// convolution before a global pooling.
/// </remarks>
public static class HeadlessCutter
{
    /// <summary>The name of the headless model's only output.</summary>
    public const string FeaturesOutput = "features";

    private const int MaxWalk = 64;
    private const int MaxCandidates = 8;

    private static readonly HashSet<string> HeadOps = new(StringComparer.Ordinal)
    {
        "Softmax", "LogSoftmax", "Identity", "Dropout", "DequantizeLinear", "Sigmoid",
    };

    private static readonly HashSet<string> LinearOps = new(StringComparer.Ordinal) { "Gemm", "MatMul", "QLinearMatMul" };

    private static readonly HashSet<string> ReshapeOps = new(StringComparer.Ordinal) { "Flatten", "Reshape", "Squeeze" };

    private static readonly HashSet<string> PoolingOps = new(StringComparer.Ordinal)
    {
        "GlobalAveragePool", "GlobalMaxPool", "AveragePool", "ReduceMean", "QLinearGlobalAveragePool",
    };

    private static readonly HashSet<string> GlobalPoolingOps = new(StringComparer.Ordinal)
    {
        "GlobalAveragePool", "GlobalMaxPool", "QLinearGlobalAveragePool",
    };

    /// <summary>Ops that keep the channel count, walked over when counting channels behind a global pooling.</summary>
    private static readonly HashSet<string> ChannelPreservingOps = new(StringComparer.Ordinal)
    {
        "Relu", "Clip", "BatchNormalization", "Add", "Mul", "Sigmoid", "HardSigmoid", "HardSwish", "LeakyRelu",
        "DequantizeLinear", "QuantizeLinear", "QLinearAdd", "QLinearMul", "QLinearLeakyRelu", "QLinearSigmoid", "Identity",
    };

    /// <summary>
    /// Returns a new model whose only output is <see cref="FeaturesOutput"/>, <c>[batch, D]</c> float32, holding the
    /// tensor <paramref name="at"/> (or the auto-detected pooled features), flattened after the batch axis and
    /// dequantized if it is 8-bit. Nodes and initializers the features do not need are removed and the batch axis is
    /// made symbolic. <paramref name="model"/> is not changed.
    /// </summary>
    /// <param name="model">A classifier or feature extractor.</param>
    /// <param name="at">Name of the tensor to cut at, or null to detect the pooled features.</param>
    /// <exception cref="ZooException">No feature tensor found (<c>headless-no-features</c>), the named tensor does not exist
    /// (<c>headless-tensor-missing</c>), its size or quantization cannot be determined
    /// (<c>headless-feature-size-unknown</c>, <c>headless-quantization-unknown</c>).</exception>
    public static HeadlessModel Cut(OnnxModel model, string? at = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CutAt(model, at) with { Source = at is null ? CutPointSource.Detected : CutPointSource.Requested };
    }

    /// <summary>
    /// Cuts <paramref name="model"/>, the model file of <paramref name="card"/>, at <paramref name="at"/> when given,
    /// else at the card's <see cref="OutputSpec.FeatureTensor"/>, and only when the card declares none at the detected
    /// pooled features; <see cref="HeadlessModel.Source"/> says which. See <see cref="Cut(OnnxModel, string?)"/>.
    /// </summary>
    /// <exception cref="ZooException">As <see cref="Cut(OnnxModel, string?)"/>; <c>headless-tensor-missing</c> when the
    /// card declares a tensor the graph does not compute.</exception>
    public static HeadlessModel Cut(OnnxModel model, ModelCard card, string? at = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(card);
        if (at is not null || card.Output?.FeatureTensor is not { } declared)
        {
            return Cut(model, at);
        }
        var index = new GraphIndex(model.Proto.Graph);
        if (!IsComputed(index, declared))
        {
            throw ZooErrors.HeadlessTensorMissing.Raise(
                $"The card of '{card.Handle}' declares output.featureTensor '{declared}', which its model does not compute; candidates: {Candidates(index)}; correct OutputSpec.FeatureTensor in the card.");
        }
        return CutAt(model, declared) with { Source = CutPointSource.Card };
    }

    private static HeadlessModel CutAt(OnnxModel model, string? at)
    {
        var proto = model.Proto.Clone();
        var graph = proto.Graph;
        var index = new GraphIndex(graph);
        var (cut, linearInputs) = at is null ? Detect(index) : Named(index, at);

        // A tensor already called "features" elsewhere in the graph would clash with the output: rename it, unless it
        // is the cut itself and already a flat float vector.
        var quantized = QuantizedTensors.IsQuantized(index, cut);
        if (index.Contains(FeaturesOutput) && !(cut == FeaturesOutput && !quantized && IsFlat(index, cut)))
        {
            var renamed = index.UniqueName(FeaturesOutput + "_original");
            RenameTensor(graph, FeaturesOutput, renamed);
            cut = cut == FeaturesOutput ? renamed : cut;
            index = new GraphIndex(graph);
        }

        var added = new List<NodeProto>();
        var (featureTensor, floatTensor) = quantized ? Dequantized(index, cut, added) : (cut, cut);
        var size = FeatureSize(index, cut, featureTensor, linearInputs);
        if (floatTensor != FeaturesOutput)
        {
            added.Add(IsFlat(index, featureTensor)
                ? Node("Identity", "zoo_features_identity", [floatTensor], FeaturesOutput)
                : Node("Flatten", "zoo_features_flatten", [floatTensor], FeaturesOutput, ("axis", 1)));
        }
        graph.Node.AddRange(added);

        // Old outputs that stay in the graph keep their declared shape as a hint.
        foreach (var output in graph.Output.Where(o => graph.ValueInfo.All(v => v.Name != o.Name)).ToList())
        {
            graph.ValueInfo.Add(output);
        }
        graph.Output.Clear();
        graph.Output.Add(FeatureValue(graph, size));
        Prune(graph);
        CheckWellFormed(proto);

        var result = OnnxModel.FromProto(proto);
        result.MakeBatchDynamic();
        return new HeadlessModel(result, featureTensor, (int)size, FeaturesOutput);
    }

    /// <summary>The tensor the caller named, checked to be one the graph computes (or a graph input).</summary>
    private static (string Tensor, int? LinearInputs) Named(GraphIndex index, string at)
    {
        if (!IsComputed(index, at))
        {
            throw ZooErrors.HeadlessTensorMissing.Raise(
                $"The model has no computed tensor named '{at}'; candidates: {Candidates(index)}; pass one of them as the cut point (HeadlessCutter.Cut at).");
        }
        return (at, LinearLayerAfter(index, at));
    }

    private static bool IsComputed(GraphIndex index, string tensor) => index.Contains(tensor) && !index.IsConstant(tensor)
        && (index.Producer(tensor) is not null || index.Graph.Input.Any(i => i.Name == tensor));

    /// <summary>The float tensor behind an 8-bit cut: an existing DequantizeLinear's output, or a new one added to
    /// <paramref name="added"/>.</summary>
    private static (string FeatureTensor, string FloatTensor) Dequantized(GraphIndex index, string cut, List<NodeProto> added)
    {
        var existing = index.Consumers(cut).FirstOrDefault(n => n.OpType == "DequantizeLinear" && n.Input[0] == cut);
        if (existing is not null)
        {
            return (existing.Output[0], existing.Output[0]);
        }
        var (scale, zeroPoint) = QuantizedTensors.Parameters(index, cut) ?? throw ZooErrors.HeadlessQuantizationUnknown.Raise(
            $"Tensor '{cut}' holds 8-bit values but the graph records no scale and zero point for it; cut at a float tensor or one read by a QLinear op instead (HeadlessCutter.Cut at).");
        var floatTensor = index.UniqueName(cut + "_dequantized");
        var dequantize = Node("DequantizeLinear", floatTensor + "_node", [cut, scale, zeroPoint], floatTensor);
        if (zeroPoint.Length == 0)
        {
            dequantize.Input.RemoveAt(2);
        }
        added.Add(dequantize);
        return (cut, floatTensor);
    }

    private static long FeatureSize(GraphIndex index, string cut, string featureTensor, int? linearInputs)
    {
        var size = FlatSize(index, featureTensor) ?? FlatSize(index, cut) ?? linearInputs ?? ChannelsBehindGlobalPool(index, cut)
            ?? throw ZooErrors.HeadlessFeatureSizeUnknown.Raise(
                $"Cannot tell the length of the features at '{cut}': the graph records no shape for it and no linear layer reads it; cut at a tensor with a recorded shape instead (HeadlessCutter.Cut at), e.g. {Candidates(index)}.");
        if (size > int.MaxValue)
        {
            throw ZooErrors.HeadlessFeatureSizeUnknown.Raise(
                $"The tensor '{cut}' has {size} values per image, too many for a feature vector; cut at the pooled tensor instead (HeadlessCutter.Cut at).");
        }
        return size;
    }

    /// <summary>
    /// The name of the pooled feature tensor a classifier's last linear layer reads (or the output itself when the
    /// model already is a feature extractor).
    /// </summary>
    /// <exception cref="ZooException">Code <c>headless-no-features</c>: the graph does not end in a recognisable head; the
    /// message lists candidate tensors to pass as <c>at</c>.</exception>
    public static string FindFeatureTensor(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Detect(new GraphIndex(model.Proto.Graph)).Tensor;
    }

    /// <summary>The pooled tensor, and the input size of the linear layer removed above it (null when none was).</summary>
    private static (string Tensor, int? LinearInputs) Detect(GraphIndex index)
    {
        var graph = index.Graph;
        if (graph.Output.Count != 1)
        {
            throw NoFeatures(index, $"the model has {graph.Output.Count} outputs, so there is no single head to remove");
        }
        var tensor = graph.Output[0].Name;
        for (var step = 0; step < MaxWalk; step++)
        {
            var node = index.Producer(tensor);
            if (node is null)
            {
                break;
            }
            if (HeadOps.Contains(node.OpType))
            {
                tensor = node.Input[0];
                continue;
            }
            if (node.OpType is "Add" or "QLinearAdd")
            {
                // A bias: exactly one operand is computed, the other is a constant.
                int[] data = node.OpType == "Add" ? [0, 1] : [0, 3];
                var computed = data.Where(i => i < node.Input.Count && !index.IsConstant(node.Input[i])).ToList();
                if (computed.Count != 1)
                {
                    break;
                }
                tensor = node.Input[computed[0]];
                continue;
            }
            if (LinearOps.Contains(node.OpType))
            {
                var inputs = LinearInputs(index, node);
                if (inputs is null)
                {
                    break;
                }
                tensor = node.Input[0];
                for (var skip = 0; skip < MaxWalk && index.Producer(tensor) is { } before
                     && (ReshapeOps.Contains(before.OpType) || before.OpType == "QuantizeLinear"); skip++)
                {
                    tensor = before.Input[0];
                }
                return (tensor, inputs);
            }
            if (PoolingOps.Contains(node.OpType)
                || (ReshapeOps.Contains(node.OpType) && index.Producer(node.Input[0]) is { } pooled && PoolingOps.Contains(pooled.OpType)))
            {
                return (tensor, null); // already a feature extractor
            }
            break;
        }
        throw NoFeatures(index, $"no linear layer or pooling was found above the output '{graph.Output[0].Name}'");
    }

    /// <summary>Input size of a linear layer with a constant 2-D weight, or null when it is not one.</summary>
    private static int? LinearInputs(GraphIndex index, NodeProto node)
    {
        var weightIndex = node.OpType == "QLinearMatMul" ? 3 : 1;
        if (node.Input.Count <= weightIndex || index.Constant(node.Input[weightIndex]) is not { Dims.Count: 2 } weight)
        {
            return null;
        }
        if (node.OpType == "Gemm" && GraphIndex.IntAttribute(node, "transA", 0) != 0)
        {
            return null;
        }
        var transposed = node.OpType == "Gemm" && GraphIndex.IntAttribute(node, "transB", 0) != 0;
        return checked((int)weight.Dims[transposed ? 1 : 0]);
    }

    /// <summary>For a user-chosen cut: the input size of a linear layer that reads the tensor (through reshapes), if any.</summary>
    private static int? LinearLayerAfter(GraphIndex index, string tensor)
    {
        for (var depth = 0; depth < MaxWalk; depth++)
        {
            var consumers = index.Consumers(tensor);
            if (consumers.FirstOrDefault(n => LinearOps.Contains(n.OpType) && n.Input[0] == tensor) is { } linear)
            {
                return LinearInputs(index, linear);
            }
            var next = consumers.FirstOrDefault(n => (ReshapeOps.Contains(n.OpType) || n.OpType is "QuantizeLinear" or "DequantizeLinear")
                                                     && n.Input[0] == tensor);
            if (next is null)
            {
                return null;
            }
            tensor = next.Output[0];
        }
        return null;
    }

    /// <summary>For a globally pooled tensor: the output channels of the convolution that feeds the pooling.</summary>
    private static long? ChannelsBehindGlobalPool(GraphIndex index, string tensor)
    {
        var node = index.Producer(tensor);
        while (node is not null && node.OpType == "DequantizeLinear")
        {
            node = index.Producer(node.Input[0]);
        }
        if (node is null || !GlobalPoolingOps.Contains(node.OpType))
        {
            return null;
        }
        var current = node.Input[0];
        for (var depth = 0; depth < MaxWalk; depth++)
        {
            var producer = index.Producer(current);
            if (producer is null)
            {
                return null;
            }
            if (producer.OpType is "Conv" or "QLinearConv")
            {
                var weightIndex = producer.OpType == "Conv" ? 1 : 3;
                return index.Constant(producer.Input[weightIndex]) is { Dims.Count: > 0 } weight ? weight.Dims[0] : null;
            }
            if (!ChannelPreservingOps.Contains(producer.OpType))
            {
                return null;
            }
            current = producer.Input[0];
        }
        return null;
    }

    /// <summary>Values per image when every dimension after the batch is recorded, else null.</summary>
    private static long? FlatSize(GraphIndex index, string tensor)
    {
        var shape = index.DeclaredShape(tensor);
        if (shape is null || shape.Count < 2 || shape.Skip(1).Any(d => !d.IsFixed))
        {
            return null;
        }
        return shape.Skip(1).Aggregate(1L, (n, d) => n * d.Value!.Value);
    }

    private static bool IsFlat(GraphIndex index, string tensor) => index.DeclaredShape(tensor) is { Count: 2 };

    private static ValueInfoProto FeatureValue(GraphProto graph, long size)
    {
        // The batch dimension follows the first fed input: a fixed size there is rewritten to a symbol afterwards.
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var firstInput = graph.Input.FirstOrDefault(i => !initializers.Contains(i.Name));
        var batch = firstInput?.Type?.TensorType?.Shape is { Dim.Count: > 0 } inputShape
            ? inputShape.Dim[0].Clone()
            : new TensorShapeProto.Types.Dimension { DimParam = "batch" };
        var shape = new TensorShapeProto();
        shape.Dim.Add(batch);
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = FeaturesOutput,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    /// <summary>
    /// Refuses a cut graph that ONNX Runtime would reject later: a node reading a tensor no earlier node, input or
    /// initializer provides (nodes out of topological order, or a cycle), a tensor produced twice, or a node in an
    /// operator domain the model does not import.
    /// </summary>
    private static void CheckWellFormed(ModelProto proto)
    {
        var graph = proto.Graph;
        var available = new HashSet<string>(StringComparer.Ordinal) { "" };
        available.UnionWith(graph.Input.Select(i => i.Name));
        available.UnionWith(graph.Initializer.Select(t => t.Name));
        available.UnionWith(graph.SparseInitializer.Where(s => s.Values is not null).Select(s => s.Values.Name));
        var domains = proto.OpsetImport.Select(o => GraphIndex.IsDefaultDomain(o.Domain) ? "" : o.Domain).ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            var label = $"'{(node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault())}' ({node.OpType})";
            var domain = GraphIndex.IsDefaultDomain(node.Domain) ? "" : node.Domain;
            if (!domains.Contains(domain))
            {
                throw ZooErrors.HeadlessInvalidGraph.Raise(
                    $"Node {label} uses the operator domain '{domain}', which the model does not import (opset_import: {string.Join(", ", domains.Select(d => d.Length == 0 ? "ai.onnx" : d))}); the source model is invalid, re-export it.");
            }
            if (node.Input.FirstOrDefault(i => !available.Contains(i)) is { } missing)
            {
                throw ZooErrors.HeadlessInvalidGraph.Raise(
                    $"Node {label} reads '{missing}' before any node, input or initializer provides it (the graph is not in topological order or has a cycle); the source model is invalid, re-export it.");
            }
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                if (!available.Add(output))
                {
                    throw ZooErrors.HeadlessInvalidGraph.Raise(
                        $"Tensor '{output}' is produced twice (again by node {label}); the source model is invalid, re-export it.");
                }
            }
        }
    }

    /// <summary>Keeps only the nodes, initializers, inputs and value_info the graph outputs depend on.</summary>
    internal static void Prune(GraphProto graph)
    {
        var needed = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains))
            {
                continue;
            }
            kept.Add(node);
            needed.UnionWith(node.Input.Where(n => n.Length > 0));
            needed.UnionWith(GraphIndex.SubgraphInputs(node));
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        Keep(graph.Initializer, t => needed.Contains(t.Name));
        Keep(graph.SparseInitializer, s => s.Values is { } values && needed.Contains(values.Name));
        Keep(graph.Input, v => needed.Contains(v.Name));
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        Keep(graph.ValueInfo, v => needed.Contains(v.Name) && !outputs.Contains(v.Name));
    }

    private static void Keep<T>(Google.Protobuf.Collections.RepeatedField<T> items, Func<T, bool> keep)
    {
        var kept = items.Where(keep).ToList();
        items.Clear();
        items.AddRange(kept);
    }

    private static void RenameTensor(GraphProto graph, string from, string to)
    {
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from)
                {
                    node.Input[i] = to;
                }
            }
            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == from)
                {
                    node.Output[i] = to;
                }
            }
        }
        foreach (var info in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo).Where(v => v.Name == from))
        {
            info.Name = to;
        }
        foreach (var tensor in graph.Initializer.Where(t => t.Name == from))
        {
            tensor.Name = to;
        }
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output, params (string Name, long Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        foreach (var (attributeName, value) in attributes)
        {
            node.Attribute.Add(new AttributeProto { Name = attributeName, I = value, Type = AttributeProto.Types.AttributeType.Int });
        }
        return node;
    }

    /// <summary>Tensors worth trying as the cut point: pooling outputs, inputs of linear layers and the graph outputs.</summary>
    private static string Candidates(GraphIndex index)
    {
        var names = new List<string>();
        foreach (var node in index.Graph.Node)
        {
            if (PoolingOps.Contains(node.OpType))
            {
                names.Add(node.Output[0]);
            }
            else if (LinearOps.Contains(node.OpType) || node.OpType == "Flatten")
            {
                names.Add(node.Input[0]);
            }
        }
        names.AddRange(index.Graph.Output.Select(o => o.Name));
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var shown = distinct.Take(MaxCandidates).Select(n => "'" + n + "'");
        var more = distinct.Count > MaxCandidates ? string.Create(CultureInfo.InvariantCulture, $" and {distinct.Count - MaxCandidates} more") : "";
        return distinct.Count == 0 ? "none found" : string.Join(", ", shown) + more;
    }

    private static ZooException NoFeatures(GraphIndex index, string reason) =>
        new(ZooErrors.HeadlessNoFeatures,
            $"Cannot find the pooled feature tensor: {reason}; candidates: {Candidates(index)}; name the tensor to cut at (HeadlessCutter.Cut at).");
}
