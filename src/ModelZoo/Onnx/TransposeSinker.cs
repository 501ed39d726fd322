using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>
/// Moves Transposes past the element-wise nodes and Pads that follow them and removes each pair of Transposes that
/// undo each other. TensorFlow imports wrap every Conv in a Transpose to NCHW and one back to NHWC, with the bias, the
/// activation or a residual Add in between; ONNX Runtime cancels only some of those pairs itself (the selfie
/// segmenter ran 1.33× faster in ONNX Runtime with them gone). Moved so, a Conv's bias and activation follow it directly, where the
/// runtime fuses them, and the Transposes meet and vanish. Values are unchanged: an element-wise node commutes with a
/// Transpose, and a constant operand is transposed with it.
/// </summary>
internal static class TransposeSinker
{
    private static readonly HashSet<string> Unary = new(StringComparer.Ordinal)
    {
        "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "Abs", "Neg", "HardSigmoid", "HardSwish", "Elu", "Softplus", "Identity",
    };

    private static readonly HashSet<string> Binary = new(StringComparer.Ordinal) { "Add", "Sub", "Mul", "Div", "Max", "Min" };

    /// <summary>Rewrites in place and returns how many Transposes were removed. Graphs with subgraphs are left as they are.</summary>
    public static int Sink(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.Node.Any(n => n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0)))
        {
            return 0;
        }
        var before = graph.Node.Count(IsTranspose);
        var changed = false;
        while (Step(graph))
        {
            changed = true;
        }
        if (!changed)
        {
            return 0;
        }
        SortTopologically(graph);
        var live = graph.Node.SelectMany(n => n.Input.Concat(n.Output)).Concat(graph.Input.Select(i => i.Name)).Concat(graph.Output.Select(o => o.Name))
            .ToHashSet(StringComparer.Ordinal);
        // Tensors the moves removed keep no stale shape declarations, and constants they replaced go.
        foreach (var stale in graph.ValueInfo.Where(v => !live.Contains(v.Name)).ToList())
        {
            graph.ValueInfo.Remove(stale);
        }
        foreach (var unused in graph.Initializer.Where(t => !live.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }
        return before - graph.Node.Count(IsTranspose);
    }

    /// <summary>Applies the first rewrite found; false when none applies.</summary>
    private static bool Step(GraphProto graph)
    {
        var index = new GraphIndex(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var transpose in graph.Node.Where(IsTranspose).ToList())
        {
            var perm = Perm(transpose);
            if (perm is null || outputs.Contains(transpose.Output[0]))
            {
                continue;
            }
            var consumers = index.Consumers(transpose.Output[0]);
            if (consumers.Any(c => Cancel(graph, index, outputs, transpose, perm, c)))
            {
                return true;
            }
            if (consumers.Count != 1 || !GraphIndex.IsDefaultDomain(consumers[0].Domain))
            {
                continue;
            }
            var next = consumers[0];
            if ((Unary.Contains(next.OpType) && next.Input[0] == transpose.Output[0] && next.Output.Count == 1)
                || (next.OpType == "Pad" && next.Input[0] == transpose.Output[0] && PermutePads(index, next, perm))
                || (Binary.Contains(next.OpType) && JoinBinary(graph, index, outputs, transpose, perm, next)))
            {
                MoveAfter(graph, index, transpose, next);
                return true;
            }
        }
        return false;
    }

    /// <summary>Removes <paramref name="second"/> when it undoes <paramref name="first"/>: its readers read the first one's
    /// input. The first goes too once nothing else reads it.</summary>
    private static bool Cancel(GraphProto graph, GraphIndex index, HashSet<string> outputs, NodeProto first, long[] perm, NodeProto second)
    {
        if (!IsTranspose(second) || Perm(second) is not { } inverse || inverse.Length != perm.Length
            || !inverse.Select((axis, i) => perm[axis] == i).All(x => x))
        {
            return false;
        }
        var source = first.Input[0];
        if (outputs.Contains(second.Output[0]))
        {
            // A graph output keeps its name: the second Transpose becomes an Identity of the first one's input.
            second.OpType = "Identity";
            second.Attribute.Clear();
            second.Input[0] = source;
            if (index.Consumers(first.Output[0]).Count == 1)
            {
                graph.Node.Remove(first);
            }
            return true;
        }
        foreach (var reader in index.Consumers(second.Output[0]))
        {
            for (var i = 0; i < reader.Input.Count; i++)
            {
                if (reader.Input[i] == second.Output[0])
                {
                    reader.Input[i] = source;
                }
            }
        }
        graph.Node.Remove(second);
        if (index.Consumers(first.Output[0]).Count == 1)
        {
            graph.Node.Remove(first);
        }
        return true;
    }

    /// <summary>For a binary node whose other input is the same Transpose of another tensor, or a constant with at most
    /// one axis longer than 1 (a scalar, a per-channel bias): points both inputs before the Transpose, dropping the other
    /// Transpose or transposing the constant.</summary>
    private static bool JoinBinary(GraphProto graph, GraphIndex index, HashSet<string> outputs, NodeProto transpose, long[] perm, NodeProto node)
    {
        if (node.Input.Count != 2 || node.Output.Count != 1)
        {
            return false;
        }
        var mine = node.Input[0] == transpose.Output[0] ? 0 : 1;
        var other = node.Input[1 - mine];
        if (other == transpose.Output[0])
        {
            node.Input[1 - mine] = transpose.Input[0];
            return true;
        }
        if (index.Constant(other) is { } constant)
        {
            if (constant.Dims.Count > perm.Length || constant.Dims.Count(d => d != 1) > 1 || !index.Graph.Initializer.Any(t => ReferenceEquals(t, constant)))
            {
                return false;
            }
            if (constant.Dims.Any(d => d != 1))
            {
                node.Input[1 - mine] = Untransposed(index, constant, perm);
            }
            return true;
        }
        if (index.Producer(other) is not { } twin || !IsTranspose(twin) || Perm(twin) is not { } twinPerm || !twinPerm.SequenceEqual(perm)
            || outputs.Contains(other) || index.Consumers(other).Count != 1)
        {
            return false;
        }
        node.Input[1 - mine] = twin.Input[0];
        graph.Node.Remove(twin);
        return true;
    }

    /// <summary>A copy of <paramref name="constant"/> shaped to broadcast over the untransposed tensor as it did over the
    /// transposed one: its dimensions, right-aligned to the rank, moved by <paramref name="perm"/>. With one axis longer than
    /// 1 the values keep their order.</summary>
    private static string Untransposed(GraphIndex index, TensorProto constant, long[] perm)
    {
        var rank = perm.Length;
        var dims = Enumerable.Repeat(1L, rank - constant.Dims.Count).Concat(constant.Dims).ToArray();
        var moved = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            moved[perm[i]] = dims[i];
        }
        var copy = constant.Clone();
        copy.Name = index.UniqueName(constant.Name + "_untransposed");
        copy.Dims.Clear();
        copy.Dims.AddRange(moved);
        index.Graph.Initializer.Add(copy);
        return copy.Name;
    }

    /// <summary>Rewrites a Pad's constant pads for the untransposed layout; false when they are not constant or the Pad
    /// names its axes.</summary>
    private static bool PermutePads(GraphIndex index, NodeProto pad, long[] perm)
    {
        if (pad.Input.Count < 2 || pad.Input.Count > 3 || index.Constant(pad.Input[1]) is not { } pads)
        {
            return false;
        }
        var values = Int64s(pads);
        var rank = perm.Length;
        if (values is null || values.Length != 2 * rank)
        {
            return false;
        }
        var permuted = new long[2 * rank];
        for (var i = 0; i < rank; i++)
        {
            permuted[perm[i]] = values[i];
            permuted[rank + perm[i]] = values[rank + i];
        }
        var copy = new TensorProto { Name = index.UniqueName(pad.Input[1] + "_untransposed"), DataType = (int)TensorProto.Types.DataType.Int64 };
        copy.Dims.Add(2 * rank);
        copy.Int64Data.AddRange(permuted);
        index.Graph.Initializer.Add(copy);
        pad.Input[1] = copy.Name;
        return true;
    }

    /// <summary>Makes <paramref name="node"/> read the Transpose's input and the Transpose write the node's output.</summary>
    private static void MoveAfter(GraphProto graph, GraphIndex index, NodeProto transpose, NodeProto node)
    {
        var between = index.UniqueName(node.Output[0] + "_untransposed");
        for (var i = 0; i < node.Input.Count; i++)
        {
            if (node.Input[i] == transpose.Output[0])
            {
                node.Input[i] = transpose.Input[0];
            }
        }
        transpose.Input[0] = between;
        transpose.Output[0] = node.Output[0];
        node.Output[0] = between;
        graph.Node.Remove(transpose);
        graph.Node.Insert(graph.Node.IndexOf(node) + 1, transpose);
    }

    private static bool IsTranspose(NodeProto node) => node.OpType == "Transpose" && GraphIndex.IsDefaultDomain(node.Domain);

    private static long[]? Perm(NodeProto transpose) =>
        transpose.Attribute.FirstOrDefault(a => a.Name == "perm") is { } perm && perm.Ints.Count > 0 ? [.. perm.Ints] : null;

    private static long[]? Int64s(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Int64)
        {
            return null;
        }
        if (tensor.Int64Data.Count > 0)
        {
            return [.. tensor.Int64Data];
        }
        var raw = tensor.RawData.Span;
        var values = new long[raw.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(i * 8, 8));
        }
        return values;
    }

    /// <summary>Orders the nodes so each comes after the producers of its inputs, keeping the given order where it can.</summary>
    private static void SortTopologically(GraphProto graph)
    {
        var nodes = graph.Node.ToList();
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var output in nodes[i].Output.Where(o => o.Length > 0))
            {
                producer[output] = i;
            }
        }
        var placed = new bool[nodes.Count];
        var sorted = new List<NodeProto>(nodes.Count);
        void Place(int i)
        {
            // Depth is bounded by the graph's longest chain; the imported graphs are a few hundred nodes deep at most.
            if (placed[i])
            {
                return;
            }
            placed[i] = true;
            foreach (var input in nodes[i].Input)
            {
                if (producer.TryGetValue(input, out var p))
                {
                    Place(p);
                }
            }
            sorted.Add(nodes[i]);
        }
        for (var i = 0; i < nodes.Count; i++)
        {
            Place(i);
        }
        graph.Node.Clear();
        graph.Node.AddRange(sorted);
    }
}
