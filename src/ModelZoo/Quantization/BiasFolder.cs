using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>
/// Folds a constant per-channel Add that follows a Conv into the Conv's bias. TensorFlow imports write a bias as
/// Conv → Transpose (to NHWC) → Add of a [C] vector; left so, the int8 Conv's output is rounded before the bias is
/// added in float, and the Add keeps ONNX Runtime from joining the Transposes around it.
/// </summary>
internal static class BiasFolder
{
    /// <summary>Folds in place and returns how many Add nodes were removed.</summary>
    public static int Fold(GraphProto graph)
    {
        var index = new GraphIndex(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var remove = new List<NodeProto>();
        foreach (var conv in graph.Node.Where(n => n.OpType == "Conv" && GraphIndex.IsDefaultDomain(n.Domain)).ToList())
        {
            if (conv.Input.Count < 2 || index.Constant(conv.Input[1]) is not { } weight || !TensorData.IsFloat(weight)
                || SoleConsumer(index, outputs, conv.Output[0]) is not { } next)
            {
                continue;
            }
            var channels = (int)weight.Dims[0];
            // Channels last after a Transpose to NHWC, so a [C] (or [1, 1, 1, C]) constant is per channel there; on
            // the Conv's own NCHW output only a [C, 1, 1] (or [1, C, 1, 1]) one is.
            var transpose = next.OpType == "Transpose" && GraphIndex.IsDefaultDomain(next.Domain) && IsToNhwc(next) ? next : null;
            var add = transpose is null ? next : SoleConsumer(index, outputs, transpose.Output[0]);
            if (add is null || add.OpType != "Add" || !GraphIndex.IsDefaultDomain(add.Domain) || add.Input.Count != 2)
            {
                continue;
            }
            var x = (transpose ?? conv).Output[0];
            var other = add.Input[0] == x ? add.Input[1] : add.Input[1] == x ? add.Input[0] : null;
            if (other is null || index.Constant(other) is not { } constant || !TensorData.IsFloat(constant)
                || !IsPerChannel(constant.Dims, channels, transpose is not null))
            {
                continue;
            }
            var hasBias = conv.Input.Count > 2 && conv.Input[2].Length > 0;
            var bias = hasBias ? index.Constant(conv.Input[2]) : null;
            if (hasBias && (bias is null || !TensorData.IsFloat(bias)))
            {
                continue;
            }
            var values = TensorData.Floats(constant);
            var sum = bias is null ? new float[channels] : TensorData.Floats(bias);
            for (var c = 0; c < channels; c++)
            {
                sum[c] += values[c];
            }
            var name = index.UniqueName(conv.Input[1] + "_bias");
            graph.Initializer.Add(TensorData.Float(name, sum, channels));
            while (conv.Input.Count < 3)
            {
                conv.Input.Add("");
            }
            conv.Input[2] = name;
            // The node before the Add now writes the Add's output, so every reader of it is unchanged.
            (transpose ?? conv).Output[0] = add.Output[0];
            remove.Add(add);
        }
        foreach (var node in remove)
        {
            graph.Node.Remove(node);
        }
        BatchNormFolder.RemoveUnusedInitializers(graph);
        return remove.Count;
    }

    private static NodeProto? SoleConsumer(GraphIndex index, HashSet<string> outputs, string tensor)
    {
        var consumers = index.Consumers(tensor);
        return outputs.Contains(tensor) || consumers.Count != 1 ? null : consumers[0];
    }

    private static bool IsToNhwc(NodeProto transpose) =>
        transpose.Attribute.FirstOrDefault(a => a.Name == "perm") is { } perm && perm.Ints.SequenceEqual([0L, 2, 3, 1]);

    private static bool IsPerChannel(IList<long> dims, int channels, bool channelsLast)
    {
        if (dims.Count == 0 || dims.Aggregate(1L, (a, d) => a * d) != channels)
        {
            return false;
        }
        if (channelsLast)
        {
            return dims[^1] == channels;
        }
        // NCHW: the channel axis is third from the end, with broadcast ones after it.
        return dims.Count >= 3 && dims[^3] == channels && dims[^2] == 1 && dims[^1] == 1;
    }
}
