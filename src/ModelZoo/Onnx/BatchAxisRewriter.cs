using System.Buffers.Binary;
using Google.Protobuf;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>
/// The worker behind <see cref="OnnxModel.MakeBatchDynamic"/>. Exporters such as CNTK's freeze the batch
/// size (usually 1) into the graph in three places: the declared input/output shapes, the recorded shapes
/// of intermediate values, and constant target shapes of <c>Reshape</c>. This class rewrites all three in
/// the main graph (subgraphs of control-flow nodes are left alone).
/// </summary>
internal static class BatchAxisRewriter
{
    private const long CopyDimension = 0;
    private const long InferDimension = -1;

    /// <summary>Rewrites <paramref name="model"/> in place and returns one line per change, for logs and tests.</summary>
    public static IReadOnlyList<string> Rewrite(OnnxModel model, string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var graph = model.Graph;
        var changes = new List<string>();
        var initializers = model.InitializerNames();
        var feedable = graph.Input.Where(v => !initializers.Contains(v.Name)).ToList();

        // The old batch sizes are whatever the fed inputs fix as their leading dimension.
        var batchSizes = new HashSet<long>();
        foreach (var input in feedable)
        {
            if (LeadingDim(input) is { ValueCase: TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue } dim)
            {
                var old = dim.DimValue;
                batchSizes.Add(old);
                dim.DimParam = symbol;
                changes.Add($"input {input.Name}: dim 0 {old} -> {symbol}");
            }
        }

        foreach (var output in graph.Output)
        {
            var dim = LeadingDim(output);
            if (dim is null || dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam)
            {
                continue;
            }
            if (dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && !batchSizes.Contains(dim.DimValue))
            {
                continue; // a fixed size that is not the batch, e.g. a per-class vector
            }
            dim.DimParam = symbol;
            changes.Add($"output {output.Name}: dim 0 -> {symbol}");
        }

        if (batchSizes.Count == 0)
        {
            return changes; // nothing was fixed, so nothing inside the graph can depend on it
        }

        // Recorded intermediate shapes are hints; an unknown leading dimension is always safe, while a stale
        // fixed one makes the runtime report a shape conflict.
        var cleared = 0;
        foreach (var value in graph.ValueInfo)
        {
            if (LeadingDim(value) is { ValueCase: TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue } dim
                && batchSizes.Contains(dim.DimValue))
            {
                dim.ClearValue();
                cleared++;
            }
        }
        if (cleared > 0)
        {
            changes.Add($"value_info: cleared dim 0 of {cleared} intermediate value(s)");
        }

        RewriteReshapeTargets(model, batchSizes, changes);
        return changes;
    }

    private static void RewriteReshapeTargets(OnnxModel model, HashSet<long> batchSizes, List<string> changes)
    {
        var graph = new ReshapeTargets(model.Graph);
        foreach (var node in model.Graph.Node)
        {
            if (node.OpType != "Reshape" || !IsDefaultDomain(node.Domain) || node.Input.Count < 2)
            {
                continue;
            }
            var shapeName = node.Input[1];
            var fromInitializer = graph.Initializers.TryGetValue(shapeName, out var tensor);
            if (!fromInitializer && !graph.Constants.TryGetValue(shapeName, out tensor))
            {
                continue; // computed at run time, so it already follows the batch
            }
            var target = ReadInt64s(tensor!);
            if (target is null || target.Length == 0 || !batchSizes.Contains(target[0]))
            {
                continue;
            }
            if (ReplacementFor(node, target) is not { } replacement)
            {
                changes.Add($"reshape {node.Name}: target [{string.Join(",", target)}] left unchanged (allowzero=1 and a -1 present)");
                continue;
            }
            var rewritten = (long[])target.Clone();
            rewritten[0] = replacement;
            if (fromInitializer && graph.ConsumerCount.GetValueOrDefault(shapeName) == 1)
            {
                WriteInt64s(tensor!, rewritten);
            }
            else
            {
                node.Input[1] = graph.AddPrivateCopy(shapeName, tensor!, rewritten);
            }
            changes.Add($"reshape {node.Name}: target [{string.Join(",", target)}] -> [{string.Join(",", rewritten)}]");
        }
    }

    /// <summary>What replaces a Reshape target's fixed batch, or null when neither -1 nor 0 keeps the meaning.</summary>
    private static long? ReplacementFor(NodeProto node, long[] target)
    {
        if (!target.Skip(1).Contains(InferDimension))
        {
            return InferDimension; // the element count determines the batch
        }
        var allowZero = node.Attribute.FirstOrDefault(a => a.Name == "allowzero")?.I ?? 0;
        return allowZero == 0 ? CopyDimension : null; // 0 takes the batch from the data input's leading dimension
    }

    /// <summary>The graph's constant shape tensors, how often each value is consumed, and the names in use.</summary>
    private sealed class ReshapeTargets
    {
        private readonly GraphProto graph;
        private readonly HashSet<string> graphInputNames;
        private readonly HashSet<string> usedNames;

        public ReshapeTargets(GraphProto graph)
        {
            this.graph = graph;
            foreach (var tensor in graph.Initializer)
            {
                Initializers.TryAdd(tensor.Name, tensor);
            }
            foreach (var node in graph.Node)
            {
                if (node.OpType == "Constant" && IsDefaultDomain(node.Domain) && node.Output.Count == 1
                    && node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: not null } attr)
                {
                    Constants[node.Output[0]] = attr.T;
                }
                foreach (var input in node.Input)
                {
                    ConsumerCount[input] = ConsumerCount.GetValueOrDefault(input) + 1;
                }
            }
            foreach (var output in graph.Output)
            {
                ConsumerCount[output.Name] = ConsumerCount.GetValueOrDefault(output.Name) + 1;
            }
            graphInputNames = graph.Input.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            usedNames = graph.Node.SelectMany(n => n.Input.Concat(n.Output))
                .Concat(Initializers.Keys).Concat(graphInputNames).ToHashSet(StringComparer.Ordinal);
        }

        public Dictionary<string, TensorProto> Initializers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, TensorProto> Constants { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> ConsumerCount { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Shared with other consumers, or produced by a Constant node: the Reshape gets its own copy, returned by name.
        /// </summary>
        public string AddPrivateCopy(string shapeName, TensorProto tensor, long[] rewritten)
        {
            var name = UniqueName(shapeName + "_dynamic_batch", usedNames);
            var copy = tensor.Clone();
            copy.Name = name;
            WriteInt64s(copy, rewritten);
            graph.Initializer.Add(copy);
            if (graphInputNames.Contains(shapeName) && graph.Input.FirstOrDefault(v => v.Name == shapeName) is { } declared)
            {
                // IR versions below 4 list every initializer as a graph input as well.
                var info = declared.Clone();
                info.Name = name;
                graph.Input.Add(info);
            }
            return name;
        }
    }

    private static TensorShapeProto.Types.Dimension? LeadingDim(ValueInfoProto value) =>
        value.Type?.ValueCase == TypeProto.ValueOneofCase.TensorType
        && value.Type.TensorType.Shape is { Dim.Count: > 0 } shape
            ? shape.Dim[0]
            : null;

    private static bool IsDefaultDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";

    private static long[]? ReadInt64s(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Int64 || tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return null;
        }
        if (tensor.HasRawData)
        {
            var raw = tensor.RawData.Span;
            var values = new long[raw.Length / sizeof(long)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(i * sizeof(long)));
            }
            return values;
        }
        return tensor.Int64Data.ToArray();
    }

    private static void WriteInt64s(TensorProto tensor, long[] values)
    {
        if (tensor.HasRawData)
        {
            var raw = new byte[values.Length * sizeof(long)];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
            }
            tensor.RawData = ByteString.CopyFrom(raw);
        }
        else
        {
            tensor.Int64Data.Clear();
            tensor.Int64Data.Add(values);
        }
    }

    private static string UniqueName(string stem, HashSet<string> used)
    {
        var name = stem;
        for (var i = 1; !used.Add(name); i++)
        {
            name = stem + "_" + i;
        }
        return name;
    }
}
